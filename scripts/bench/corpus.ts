/**
 * Deterministic synthetic corpora for the engine benchmarks: request URLs shaped like a real visit
 * (the knowledge base's tracker hosts, first-party pages and assets, CDNs and unknown third parties,
 * with realistic paths and query strings), and mixed observation streams.
 */
import type { KnowledgeBase } from '../../lib/knowledge/types.ts';
import type { Observation, RequestType } from '../../lib/observations.ts';
import { isThirdParty, siteOf } from '../../lib/site.ts';
import { pick, prng } from './stats.ts';

const FIRST_PARTY = ['www.o2toit.com', 'o2toit.com', 'static.o2toit.com', 'img.o2toit.com', 'api.o2toit.com'];
const OTHER_HOSTS = [
  'cdn.jsdelivr.net',
  'fonts.googleapis.com',
  'fonts.gstatic.com',
  'cdnjs.cloudflare.com',
  'unpkg.com',
  'ajax.googleapis.com',
  'code.jquery.com',
  'use.typekit.net',
  'images.example-cdn.fr',
  'media.widget-provider.io',
  'assets.maps.example.net',
  'shop.partner-boutique.fr',
];
const PATHS = [
  '/',
  '/js/app.min.js',
  '/css/main.css',
  '/img/logo.svg',
  '/api/v2/items',
  '/collect',
  '/g/collect',
  '/tr',
  '/pixel.gif',
  '/sdk.js',
  '/fonts/inter.woff2',
  '/recaptcha/api.js',
  '/gtag/js',
  '/p/fr/contact',
  '/wp-content/uploads/2026/11/banner.jpg',
];
const PARAMS = ['v=2', 'tid=G-ABC123', 'id=1234', 'ev=PageView', 'cb=', 'lang=fr', 'render=explicit', 'utm_source=x'];

/** Request URLs: about 45% known tracker hosts, 30% first party, 25% other third parties. */
export function requestUrls(kb: KnowledgeBase, count: number, seed = 1): string[] {
  const rand = prng(seed);
  const trackerHosts = kb.vendors.flatMap((v) => v.hosts.map((h) => ({ host: h.host, path: h.pathPrefix })));
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = rand();
    let host: string;
    let path = pick(rand, PATHS);
    if (r < 0.45) {
      const t = pick(rand, trackerHosts);
      // Bare registrable domains get a subdomain half the time, as real tags do (www., region1., …).
      host = t.host.split('.').length === 2 && rand() < 0.5 ? `s${Math.floor(rand() * 9)}.${t.host}` : t.host;
      if (t.path) path = t.path + (t.path.endsWith('/') ? 'api.js' : '');
    } else if (r < 0.75) host = pick(rand, FIRST_PARTY);
    else host = pick(rand, OTHER_HOSTS);
    const query = Array.from({ length: Math.floor(rand() * 4) }, () => {
      const p = pick(rand, PARAMS);
      return p.endsWith('=') ? `${p}${Math.floor(rand() * 1e9)}` : p;
    }).join('&');
    urls.push(`https://${host}${path}${query ? `?${query}` : ''}`);
  }
  return urls;
}

const TYPES: RequestType[] = ['script', 'image', 'xmlhttprequest', 'ping', 'stylesheet', 'font', 'sub_frame'];
const COOKIES = [
  '_ga',
  '_gid',
  '_fbp',
  'PHPSESSID',
  'o2_pref',
  '_hjSessionUser_1',
  'cc_consent',
  'unknown_cookie',
  'IDE',
];
const STORAGE = ['_hjSessionUser_123456', '_fbq_id', 'theme', 'cart', 'yt-remote-device-id', 'random_key'];

/**
 * A mixed visit of `count` observations in time order: about 65% requests, 22% cookies, 12% storage
 * writes, and a banner, a decision at the middle of the visit, and a few user gestures.
 */
export function mixedObservations(kb: KnowledgeBase, count: number, seed = 7): Observation[] {
  const rand = prng(seed);
  const urls = requestUrls(kb, Math.max(1000, Math.ceil(count * 0.7)), seed + 1);
  const topSite = 'o2toit.com';
  const t0 = 1_780_000_000_000;
  const out: Observation[] = [];
  const base = (i: number, url: string) => ({ seq: i + 1, time: t0 + i * 5, tabId: 1, frameId: 0, url, topSite });
  for (let i = 0; i < count; i++) {
    const r = rand();
    if (i === 10) {
      out.push({
        ...base(i, 'https://www.o2toit.com/'),
        kind: 'consent',
        event: 'banner-shown',
        how: 'autoconsent detection',
        trusted: true,
        source: 'extension',
        platform: 'bench',
      });
    } else if (i === Math.floor(count / 2)) {
      out.push({
        ...base(i, 'https://www.o2toit.com/'),
        kind: 'consent',
        event: 'decision',
        decision: 'reject',
        how: 'auditor mark in popup',
        trusted: true,
        source: 'extension',
      });
    } else if (r < 0.65) {
      const url = urls[i % urls.length]!;
      const host = new URL(url).hostname;
      out.push({
        ...base(i, url),
        kind: 'request',
        source: 'webRequest',
        requestId: String(i),
        method: 'GET',
        type: pick(rand, TYPES),
        host,
        site: siteOf(host),
        thirdParty: isThirdParty(host, topSite),
        statusCode: 200,
      });
    } else if (r < 0.87) {
      const name = pick(rand, COOKIES);
      const session = rand() < 0.3;
      const days = 30 + Math.floor(rand() * 800);
      const t = t0 + i * 5;
      out.push({
        ...base(i, 'https://www.o2toit.com/'),
        kind: 'cookie',
        source: rand() < 0.5 ? 'webRequest' : 'cookies-api',
        action: 'set',
        name,
        domain: rand() < 0.8 ? 'o2toit.com' : 'doubleclick.net',
        path: '/',
        via: 'set-cookie-header',
        session,
        ...(session ? {} : { requestedExpiry: t + days * 864e5, effectiveExpiry: t + Math.min(days, 400) * 864e5 }),
        valueLength: 24,
      });
    } else if (r < 0.995) {
      out.push({
        ...base(i, 'https://www.o2toit.com/'),
        kind: 'storage',
        source: 'page-hook',
        area: rand() < 0.7 ? 'localStorage' : 'sessionStorage',
        action: 'set',
        key: pick(rand, STORAGE),
        valueLength: 20 + Math.floor(rand() * 20),
        origin: 'https://www.o2toit.com',
        initiator: pick(rand, urls),
      });
    } else {
      out.push({
        ...base(i, 'https://www.o2toit.com/'),
        kind: 'consent',
        event: 'user-gesture',
        how: 'real click',
        trusted: true,
        source: 'page-state',
        selector: 'button#o2-refuse',
      });
    }
  }
  return out;
}
