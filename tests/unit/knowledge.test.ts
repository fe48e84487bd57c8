import { describe, it, expect } from 'vitest';
import Ajv from 'ajv';
import { getPublicSuffix } from 'tldts';
import schema from '../../lib/schema/knowledge.schema.json';
import { CATEGORIES } from '../../lib/categories';
import { builtinKnowledge, createClassifier, needsConsent } from '../../lib/knowledge/classify';
import { validateAgainstSchema } from '../../lib/schema/validate';
import type { KnowledgeBase, NamePattern, Vendor } from '../../lib/knowledge/types';

const kb = builtinKnowledge;
const classifier = createClassifier(kb);

/** Values of `key` that occur more than once. */
function duplicates<T>(items: T[], key: (item: T) => string): string[] {
  const seen = new Map<string, number>();
  for (const item of items) seen.set(key(item), (seen.get(key(item)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

function names(vendor: Vendor): { kind: string; vendor: Vendor; p: NamePattern }[] {
  return [
    ...(vendor.cookies ?? []).map((p) => ({ kind: 'cookie', vendor, p })),
    ...(vendor.storageKeys ?? []).map((p) => ({ kind: 'storage', vendor, p })),
  ];
}

describe('knowledge base data', () => {
  it('validates against knowledge.schema.json', () => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const ok = validate(kb);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('stays inside the schema subset the in-extension validator understands', () => {
    // Imported lists are checked in the extension by lib/schema/validate.ts, not by Ajv (CSP).
    expect(validateAgainstSchema(kb, schema)).toEqual([]);
    const broken = structuredClone(kb) as unknown as { vendors: Record<string, unknown>[] };
    broken.vendors[0]!.category = 'tracking';
    broken.vendors[1]!.extra = true;
    expect(validateAgainstSchema(broken, schema).map((e) => e.path)).toEqual([
      '/vendors/0/category',
      '/vendors/1/extra',
    ]);
  });

  it('uses exactly the categories of lib/categories.ts in its schema', () => {
    expect(schema.definitions.category.enum).toEqual([...CATEGORIES]);
  });

  it('has at least 160 vendors with unique ids', () => {
    expect(kb.vendors.length).toBeGreaterThanOrEqual(160);
    expect(duplicates(kb.vendors, (v) => v.id)).toEqual([]);
  });

  it('has no two vendors on the same (host, pathPrefix)', () => {
    const matchers = kb.vendors.flatMap((v) => v.hosts.map((h) => `${h.host}${h.pathPrefix ?? ''}`));
    expect(duplicates(matchers, (m) => m)).toEqual([]);
  });

  it('never claims a whole shared Google host or a public suffix', () => {
    const shared = [
      'google.com',
      'www.google.com',
      'google.fr',
      'www.google.fr',
      'gstatic.com',
      'www.gstatic.com',
      'googleapis.com',
    ];
    const bad = kb.vendors.flatMap((v) =>
      v.hosts
        .filter((h) => (!h.pathPrefix && shared.includes(h.host)) || getPublicSuffix(h.host) === h.host)
        .map((h) => `${v.id}: ${h.host}`),
    );
    expect(bad).toEqual([]);
  });

  it('gives each exact name to one vendor, unless the others are domain-scoped or explained', () => {
    const all = kb.vendors.flatMap(names).filter(({ p }) => (p.match ?? 'exact') === 'exact');
    const unjustified = duplicates(all, ({ kind, p }) => `${kind} ${p.pattern}`).filter((key) => {
      const same = all.filter(({ kind, p }) => `${kind} ${p.pattern}` === key);
      return same.filter(({ p }) => !p.onVendorDomain && !p.note).length > 1;
    });
    expect(unjustified).toEqual([]);
  });

  it('has no prefix or regex pattern claimed by two vendors', () => {
    const all = kb.vendors.flatMap(names).filter(({ p }) => p.match === 'prefix' || p.match === 'regex');
    expect(duplicates(all, ({ kind, p }) => `${kind} ${p.match} ${p.pattern}`)).toEqual([]);
  });

  it('compiles every regex', () => {
    const broken = kb.vendors.flatMap(names).filter(({ p }) => {
      if (p.match !== 'regex') return false;
      try {
        new RegExp(p.pattern);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken.map(({ vendor, p }) => `${vendor.id}: ${p.pattern}`)).toEqual([]);
  });

  it('compiles every protocol parameter regex, and names each protocol once', () => {
    const protocols = kb.vendors.flatMap((v) => (v.protocols ?? []).map((p) => ({ vendor: v, p })));
    expect(protocols.length).toBeGreaterThanOrEqual(8);
    const broken = protocols.flatMap(({ vendor, p }) =>
      p.query
        .filter((q) => {
          try {
            new RegExp(q.pattern);
            return false;
          } catch {
            return true;
          }
        })
        .map((q) => `${vendor.id}: ${p.name} ${q.name}`),
    );
    expect(broken).toEqual([]);
    expect(duplicates(protocols, ({ p }) => p.name)).toEqual([]);
  });

  it('pairs every needsConsent override with a reason', () => {
    const unpaired = kb.vendors.filter((v) => (v.needsConsent === undefined) !== (v.needsConsentReason === undefined));
    expect(unpaired.map((v) => v.id)).toEqual([]);
  });
});

describe('classifyUrl', () => {
  const cases: [string, string | undefined][] = [
    ['https://www.google.com/recaptcha/api.js', 'google-recaptcha'],
    ['https://www.google.com/recaptcha/enterprise.js?render=k', 'google-recaptcha'],
    ['https://www.google.com/recaptcha/api2/anchor?k=x', 'google-recaptcha'],
    ['https://www.recaptcha.net/recaptcha/api.js', 'google-recaptcha'],
    ['https://www.gstatic.com/recaptcha/releases/abc/recaptcha__fr.js', 'google-recaptcha'],
    ['https://www.google.com/search?q=x', undefined],
    ['https://www.gstatic.com/images/branding/logo.png', undefined],
    ['https://www.googletagmanager.com/gtag/js?id=G-1', 'google-tag-manager'],
    ['https://region1.google-analytics.com/g/collect?v=2', 'google-analytics'],
    ['https://www.google-analytics.com/analytics.js', 'google-analytics'],
    ['https://www.google.com/g/collect?v=2&tid=G-1', 'google-analytics'],
    ['https://www.google.com/g/collectx', undefined],
    ['https://www.google.com/pagead/1p-user-list/123/?x=1', 'google-ads'],
    ['https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/', 'google-ads'],
    ['https://stats.g.doubleclick.net/g/collect', 'google-analytics'],
    ['https://connect.facebook.net/en_US/fbevents.js', 'meta-pixel'],
    ['https://www.facebook.com/tr?id=1', 'meta-pixel'],
    ['https://www.facebook.com/tr/?id=1&ev=PageView', 'meta-pixel'],
    ['https://www.facebook.com/plugins/like.php', 'facebook-social'],
    ['https://www.facebook.com/translations/x', 'facebook-social'],
    ['https://snap.licdn.com/li.lms-analytics/insight.min.js', 'linkedin-insight'],
    ['https://px.ads.linkedin.com/collect?pid=1', 'linkedin-insight'],
    ['https://platform.linkedin.com/in.js', 'linkedin-social'],
    ['https://s.pinimg.com/ct/core.js', 'pinterest-tag'],
    ['https://i.pinimg.com/x.jpg', 'pinterest-social'],
    ['https://cdnjs.cloudflare.com/ajax/libs/x.js', 'cdnjs'],
    ['https://challenges.cloudflare.com/turnstile/v0/api.js', 'cloudflare-turnstile'],
    ['https://abc.tt.omtrdc.net/rest/v1/delivery', 'adobe-target'],
    ['https://abc.sc.omtrdc.net/b/ss/x', 'adobe-analytics'],
    ['https://WWW.Google.COM./recaptcha/api.js', 'google-recaptcha'],
    ['https://logs1412.xiti.com/hit.xiti?s=1', 'at-internet'],
    ['https://sdk.privacy-center.org/loader.js', 'didomi'],
    ['https://example.fr/recaptcha/api.js', undefined],
    ['https://notgoogle-analytics.com/x', undefined],
    ['not a url', undefined],
    ['', undefined],
    ['data:text/plain,hello', undefined],
  ];
  it.each(cases)('%s -> %s', (url, expected) => {
    expect(classifier.classifyUrl(url)?.vendorId).toBe(expected);
  });

  it('reports why and whether consent is needed', () => {
    const c = classifier.classifyUrl('https://www.google.com/recaptcha/api.js');
    expect(c).toMatchObject({
      vendorId: 'google-recaptcha',
      entity: 'Google LLC',
      category: 'security',
      needsConsent: true,
      source: 'builtin-kb',
      matchedBy: 'host www.google.com path /recaptcha/',
    });
  });
});

describe('classifyCookie and classifyStorageKey', () => {
  const cases: [string, string, string | undefined, string?][] = [
    ['_ga', '.example.fr', 'google-analytics', 'cookie _ga (exact)'],
    ['_ga_ABC123', '.example.fr', 'google-analytics', 'cookie _ga_ (prefix)'],
    ['_fbp', '.example.fr', 'meta-pixel'],
    ['_GRECAPTCHA', 'www.google.com', 'google-recaptcha'],
    ['OptanonConsent', '.example.fr', 'onetrust'],
    ['tarteaucitron', 'www.example.fr', 'tarteaucitron'],
    ['axeptio_cookies', '.example.fr', 'axeptio'],
    ['didomi_token', '.example.fr', 'didomi'],
    ['euconsent-v2', '.example.fr', 'iab-tcf'],
    ['_pk_id.1.1fff', 'www.example.fr', 'matomo'],
    ['_gcl_au', '.example.fr', 'google-ads', 'cookie _gcl_au (exact)'],
    ['_gcl_xyz', '.example.fr', 'google-ads', 'cookie _gcl_ (prefix)'],
    ['AMP_TOKEN', '.example.fr', 'google-analytics'],
    ['AMP_abc123', '.example.fr', 'amplitude'],
    [
      'mp_0123456789abcdef0123456789abcdef_mixpanel',
      '.example.fr',
      'mixpanel',
      'cookie ^mp_[0-9a-f]{32}_mixpanel$ (regex)',
    ],
    ['MUID', '.bing.com', 'microsoft-ads'],
    ['MUID', '.clarity.ms', 'microsoft-clarity'],
    ['MUID', '.example.fr', 'microsoft-ads'],
    ['uid', '.adform.net', 'adform'],
    ['uid', '.example.fr', undefined],
    ['i', '.openx.net', 'openx'],
    ['my_session', '.example.fr', undefined],
  ];
  it.each(cases)('cookie %s on %s -> %s', (name, domain, expected, how) => {
    const c = classifier.classifyCookie(name, domain);
    expect(c?.vendorId).toBe(expected);
    if (how) expect(c?.matchedBy).toBe(how);
  });

  it('applies the cookie-level category override', () => {
    expect(classifier.classifyCookie('__cf_bm', '.example.fr')).toMatchObject({
      vendorId: 'cloudflare',
      category: 'strictly-necessary',
      needsConsent: false,
    });
    expect(classifier.classifyCookie('__hs_opt_out', '.example.fr')).toMatchObject({
      category: 'consent-management',
      needsConsent: false,
    });
    expect(classifier.classifyCookie('_GRECAPTCHA', 'www.google.com')?.needsConsent).toBe(true);
  });

  it('classifies storage keys with the same rules', () => {
    expect(classifier.classifyStorageKey('_hjSessionStorageTest', 'https://www.example.fr')?.vendorId).toBe('hotjar');
    expect(classifier.classifyStorageKey('tt_sessionId')?.vendorId).toBe('tiktok-pixel');
    expect(classifier.classifyStorageKey('taboola global:user-id')?.matchedBy).toBe(
      'storage key taboola global: (prefix)',
    );
    expect(classifier.classifyStorageKey('cart')).toBeUndefined();
  });
});

describe('createClassifier', () => {
  it('looks vendors up by id', () => {
    expect(classifier.vendor('google-tag-manager')?.category).toBe('audience-measurement');
    expect(classifier.vendor('nope')).toBeUndefined();
  });

  it('labels the source and tolerates a bad regex in imported data', () => {
    const imported: KnowledgeBase = {
      formatVersion: 1,
      version: '2026-01-01',
      vendors: [
        {
          id: 'x',
          name: 'X',
          entity: 'X SA',
          country: 'FR',
          category: 'functional',
          hosts: [{ host: 'x.example' }],
          cookies: [{ pattern: '(', match: 'regex' }, { pattern: 'x_id' }],
        },
      ],
    };
    const c = createClassifier(imported, 'open-cookie-database');
    expect(c.classifyCookie('x_id', 'x.example')?.source).toBe('open-cookie-database');
    expect(c.classifyUrl('https://cdn.x.example/a.js')?.vendorId).toBe('x');
  });

  it('applies needsConsent overrides only to the vendor category', () => {
    const recaptcha = classifier.vendor('google-recaptcha')!;
    expect(needsConsent(recaptcha)).toBe(true);
    expect(needsConsent(recaptcha, 'consent-management')).toBe(false);
    expect(needsConsent(classifier.vendor('cloudflare')!)).toBe(false);
  });
});
