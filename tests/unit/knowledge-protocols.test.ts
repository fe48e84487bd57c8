import { describe, it, expect } from 'vitest';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { KnowledgeBase } from '../../lib/knowledge/types';

const classifier = createClassifier(builtinKnowledge);
const SITE = 'https://www.example.fr/';

describe('consent cookies and keys of common consent platforms', () => {
  // Names as each platform documents them; all on the audited site's own domain, where they live.
  const cookies: [string, string][] = [
    ['cc_cookie', 'vanilla-cookieconsent'],
    ['cookieconsent_status', 'osano-cookieconsent'],
    ['cookieconsent_dismissed', 'osano-cookieconsent'],
    ['OptanonConsent', 'onetrust'],
    ['OptanonAlertBoxClosed', 'onetrust'],
    ['CookieConsent', 'cookiebot'],
    ['didomi_token', 'didomi'],
    ['euconsent-v2', 'iab-tcf'],
    ['axeptio_cookies', 'axeptio'],
    ['axeptio_authorized_vendors', 'axeptio'],
    ['axeptio_session', 'axeptio'],
    ['klaro', 'klaro'],
    ['tarteaucitron', 'tarteaucitron'],
    ['CookieInformationConsent', 'cookie-information'],
    ['cookiehub', 'cookiehub'],
    ['moove_gdpr_popup', 'moove-gdpr'],
    ['cookie_notice_accepted', 'cookie-notice'],
  ];
  it.each(cookies)('cookie %s is %s consent management, exempt from consent', (name, vendorId) => {
    expect(classifier.classifyCookie(name, '.example.fr')).toMatchObject({
      vendorId,
      category: 'consent-management',
      needsConsent: false,
    });
  });

  const keys: [string, string][] = [
    ['cc_cookie', 'vanilla-cookieconsent'],
    ['klaro', 'klaro'],
    ['didomi_token', 'didomi'],
    ['euconsent-v2', 'iab-tcf'],
  ];
  it.each(keys)('storage key %s is %s consent management', (key, vendorId) => {
    expect(classifier.classifyStorageKey(key, 'https://www.example.fr')).toMatchObject({
      vendorId,
      category: 'consent-management',
      needsConsent: false,
    });
  });

  it('keeps the Osano CMP entry scoped to osano.com', () => {
    expect(classifier.classifyCookie('cookieconsent_status', 'www.osano.com')?.vendorId).toBe('osano');
  });
});

describe('Microsoft Clarity', () => {
  it.each(['_cltk', '_clck', '_clsk'])('knows the storage key %s as session recording that needs consent', (key) => {
    expect(classifier.classifyStorageKey(key, 'https://www.example.fr')).toMatchObject({
      vendorId: 'microsoft-clarity',
      category: 'session-recording',
      needsConsent: true,
    });
  });
  it.each(['_clck', '_clsk'])('knows the cookie %s', (name) => {
    expect(classifier.classifyCookie(name, '.example.fr')?.vendorId).toBe('microsoft-clarity');
  });
  it.each([
    ['CLID', 'www.clarity.ms'],
    ['MUID', '.clarity.ms'],
  ])('knows %s on %s', (name, domain) => {
    expect(classifier.classifyCookie(name, domain)?.vendorId).toBe('microsoft-clarity');
  });
  it.each([
    'https://scripts.clarity.ms/0.8.0/clarity.js',
    'https://www.clarity.ms/tag/abc',
    'https://k.clarity.ms/collect',
  ])('knows the host of %s', (url) => {
    expect(classifier.classifyUrl(url)?.vendorId).toBe('microsoft-clarity');
  });
});

describe('tracker protocols by URL shape, on any host', () => {
  const recognised: [string, string, string][] = [
    ['https://metrics.example.fr/g/collect?v=2&tid=G-ABC&cid=1', 'google-analytics', 'GA4 /g/collect'],
    ['https://www.example.fr/sst/g/collect?v=2&tid=G-ABC', 'google-analytics', 'GA4 /g/collect'],
    ['https://www.example.fr/collect?v=1&tid=UA-1234-1&t=pageview', 'google-analytics', 'Universal Analytics /collect'],
    ['https://www.example.fr/j/collect?v=1&tid=UA-1234-1', 'google-analytics', 'Universal Analytics /j/collect'],
    ['https://www.example.fr/r/collect?v=1&tid=UA-1234-1', 'google-analytics', 'Universal Analytics /r/collect'],
    ['https://www.example.fr/mp/collect?measurement_id=G-ABC&api_secret=x', 'google-analytics', 'GA4 Measurement'],
    ['https://tags.example.fr/gtm.js?id=GTM-ABC123', 'google-tag-manager', 'GTM container gtm.js'],
    ['https://tags.example.fr/ns.html?id=GTM-ABC123', 'google-tag-manager', 'GTM noscript'],
    ['https://tags.example.fr/gtag/js?id=G-ABC', 'google-tag-manager', 'gtag.js loader'],
    ['https://tags.example.fr/gtag/js?id=AW-123456', 'google-tag-manager', 'gtag.js loader'],
    ['https://tags.example.fr/gtag/js?id=DC-123456', 'google-tag-manager', 'gtag.js loader'],
    ['https://px.example.fr/tr?id=1234567890&ev=PageView', 'meta-pixel', 'Meta pixel /tr'],
    ['https://px.example.fr/tr/?id=1234567890&ev=Purchase&noscript=1', 'meta-pixel', 'Meta pixel /tr'],
    ['https://stats.example.fr/matomo.php?idsite=3&rec=1&action_name=home', 'matomo', 'Matomo tracker matomo.php'],
    ['https://stats.example.fr/piwik.php?idsite=3&rec=1', 'matomo', 'Matomo tracker piwik.php'],
    ['https://uet.example.fr/action/0?ti=12345678&Ver=2&evt=pageLoad', 'microsoft-ads', 'Microsoft UET /action/0'],
    ['https://collect.example.fr/hit.xiti?s=123456&p=home', 'at-internet', 'AT Internet hit.xiti'],
    ['https://sp.example.fr/i?e=pv&tv=js-3.17.0&p=web&aid=site', 'snowplow', 'Snowplow tracker protocol /i'],
    ['https://px.example.fr/collect/?pid=123456&fmt=gif', 'linkedin-insight', 'LinkedIn Insight /collect'],
    ['https://px.example.fr/v3/?event=init&tid=2612345678901&noscript=1', 'pinterest-tag', 'Pinterest tag /v3'],
    ['https://px.example.fr/i/adsct?txn_id=o1abc&p_id=Twitter', 'x-ads', 'X (Twitter) conversion /i/adsct'],
  ];
  it.each(recognised)('%s is %s (%s)', (url, vendorId, shape) => {
    const c = classifier.classifyUrl(url, { type: 'ping', sourceUrl: SITE });
    expect(c?.vendorId).toBe(vendorId);
    expect(c?.matchedBy).toContain(`url-shape: ${shape}`);
    expect(c?.needsConsent).toBe(true);
  });

  it('says when the host is first-party, and names the vendor through the proxy', () => {
    const c = classifier.classifyUrl('https://metrics.example.fr/g/collect?v=2&tid=G-ABC', { sourceUrl: SITE });
    expect(c).toMatchObject({
      vendorId: 'google-analytics',
      vendorName: `${classifier.vendor('google-analytics')!.name} (via a first-party proxy)`,
      matchedBy: 'url-shape: GA4 /g/collect via a first-party proxy (metrics.example.fr)',
    });
    const elsewhere = classifier.classifyUrl('https://sgtm.proxy.example/g/collect?v=2&tid=G-ABC', { sourceUrl: SITE });
    expect(elsewhere?.matchedBy).toBe('url-shape: GA4 /g/collect via a proxy (sgtm.proxy.example)');
  });

  const ordinary = [
    'https://www.example.fr/collect?v=1&page=home',
    'https://www.example.fr/collect?tid=UA-1234-1',
    'https://www.example.fr/collect?v=2&tid=UA-1234-1',
    'https://www.example.fr/g/collect?v=2&tid=order-42',
    'https://www.example.fr/g/collect?v=2',
    'https://www.example.fr/xg/collect?v=2&tid=G-ABC',
    'https://www.example.fr/g/collector?v=2&tid=G-ABC',
    'https://www.example.fr/track?id=1&ev=PageView',
    'https://www.example.fr/tr?id=abc&ev=PageView',
    'https://www.example.fr/tr?id=123',
    'https://www.example.fr/gtm.js',
    'https://www.example.fr/gtag/js?id=UA-1',
    'https://www.example.fr/matomo.php?idsite=3',
    'https://www.example.fr/action/0?ti=abc&evt=pageLoad',
    'https://www.example.fr/hit.xiti?s=home',
    'https://www.example.fr/i?e=pv',
    'https://www.example.fr/collect?pid=123',
    'https://www.example.fr/api/v3?tid=1',
    'https://www.example.fr/img/i?e=pv&tv=3',
    'https://www.example.fr/',
  ];
  it.each(ordinary)('%s is the site’s own', (url) => {
    expect(classifier.classifyUrl(url, { sourceUrl: SITE })).toBeUndefined();
  });

  it('leaves a host match to the host when that vendor needs consent', () => {
    expect(classifier.classifyUrl('https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC')?.matchedBy).toBe(
      'host region1.google-analytics.com',
    );
  });

  it('takes a protocol on a CDN host for the tracker, not the CDN', () => {
    const c = classifier.classifyUrl('https://cdnjs.cloudflare.com/g/collect?v=2&tid=G-ABC', { sourceUrl: SITE });
    expect(c?.vendorId).toBe('google-analytics');
  });

  it('drops a protocol whose parameter regex does not compile, and keeps the others', () => {
    const kb: KnowledgeBase = {
      formatVersion: 1,
      version: '2026-12-01',
      vendors: [
        {
          id: 'x',
          name: 'X',
          entity: 'X',
          country: 'FR',
          category: 'advertising',
          hosts: [],
          protocols: [
            { name: 'bad', pathSuffix: '/x', query: [{ name: 'a', pattern: '(' }] },
            { name: 'good', pathSuffix: '/y', query: [{ name: 'a', pattern: '^1$' }] },
          ],
        },
      ],
    };
    const k = createClassifier(kb);
    expect(k.classifyUrl('https://a.example/x?a=(')).toBeUndefined();
    expect(k.classifyUrl('https://a.example/y?a=1')?.matchedBy).toBe('url-shape: good via a proxy (a.example)');
  });
});
