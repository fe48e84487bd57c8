/**
 * The state an audit started from, and what a clean start must clear. An audit in a used profile is
 * contaminated ("Intractable Cookie Crumbs", PETS 2025): a consent cookie of an earlier visit hides
 * the banner and applies that visit's decision, and cookies of earlier visits look like this audit's
 * "before consent" writes. So every audit reads the browser's cookie store when it starts, and the
 * report says what was already there, above all a consent cookie, and which browser settings change
 * the results.
 *
 * Pure: the background reads the cookie store and the settings (entrypoints/background/clean-start.ts)
 * and hands normalized records here; the judging happens when the report is built, with the same
 * classification as the findings.
 */
import type { Category } from './categories';
import type { Classification } from './knowledge/types';
import type { Observation } from './observations';
import { hostMatches, siteOf } from './site';
import { isoTime } from './time';
import { CMP_HINTS } from './consent/cmp-hints';

/** A cookie the browser held when the audit started, as its cookie store lists it. Never its value. */
export interface StartCookieRecord {
  name: string;
  /** Domain without a leading dot; host-only cookies have their host. */
  domain: string;
  path: string;
  session: boolean;
  /** Registrable domain of the partition's top-level site, for partitioned cookies (CHIPS, Firefox TCP). */
  partitionSite?: string;
}

/** A web storage key present before any page script ran. */
export interface StartStorageRecord {
  area: 'localStorage' | 'sessionStorage';
  origin: string;
  key: string;
}

/** A browser setting that changes what an audit sees: its value, or `unknown` and why. */
export interface SettingReading<T> {
  state: T | 'unknown';
  /** How it was read, or why it could not be. */
  how: string;
}

/** The browser settings read at the start of an audit. */
export interface StartSettings {
  thirdPartyCookies: SettingReading<'allowed' | 'blocked' | 'partitioned'>;
  /** Other enabled extensions (names), which may block or change what the site does. */
  otherExtensions: SettingReading<string[]>;
  /** Firefox's built-in cookie-banner handling (`cookiebanners.service.mode`); absent in Chromium. */
  cookieBanners?: SettingReading<'off' | 'reject' | 'reject-or-accept'>;
  /** The audited tab is in a private (incognito) window. */
  privateWindow: boolean | 'unknown';
  /** Firefox container (`cookieStoreId`) of the audited tab, when not the default store. */
  container?: string;
}

/** What a clean start removed before the audit it started. */
export interface CleanStartRecord {
  /** When the clearing finished, ms since the epoch. */
  at: number;
  /** Cookies removed, by name and domain (values never read). */
  cookies: Array<{ name: string; domain: string }>;
  /** Hosts whose cookies and storage were cleared. */
  hosts: string[];
  /** What could not be cleared, in plain words. */
  errors: string[];
}

/** What the background records at an audit's start (kept beside the audit, judged at report time). */
export interface StartStateRecord {
  /** When the cookie store was read, ms since the epoch. */
  readAt: number;
  cookies: StartCookieRecord[];
  settings: StartSettings;
  /**
   * Web storage keys of the first page's origin, read by the isolated world at document_start, before
   * any page script (never values); absent until that reading arrives.
   */
  storage?: StartStorageRecord[];
  cleanStart?: CleanStartRecord;
  /** What could not be read (a cookie-store call that failed...). */
  errors?: string[];
}

/** A cookie or storage key present at the start, as the report shows it. */
export interface StartItem {
  name: string;
  /** Cookie domain, or the storage origin. */
  domain: string;
  /** `cookie`, or the storage area. */
  store: 'cookie' | 'localStorage' | 'sessionStorage';
  /** The audited site's own (first party, or a cookie in the site's partition). */
  ofSite: boolean;
  partitioned?: true;
  category?: Category;
  vendor?: string;
  /** A consent platform's choice (classified consent-management, or a known platform's choice cookie). */
  consent?: true;
}

/** The judged start state, as the report carries it (`scenarios[].startState`). */
export interface StartState {
  /** No cookie or storage of the site and no consent cookie was present when the audit started. */
  clean: boolean;
  readAt: string;
  /** Cookies and storage keys already present (values never recorded). */
  found: StartItem[];
  /** The consent choices already present, named: the banner may not show. */
  consentCookies: Array<{ name: string; domain: string; platform: string }>;
  settings: StartSettings;
  cleanStart?: { at: string; cookies: number; hosts: string[]; errors: string[] };
  /** Why the start was not clean, in plain words (empty when it was). */
  reasons: string[];
  /** The reasons, then what else changes results (third-party cookies, settings), in plain words. */
  warnings: string[];
  errors?: string[];
}

/** The classification the report uses, for cookies (knowledge, then the policy's list) and storage keys. */
export interface StartClassify {
  cookie(c: { name: string; domain: string }): Classification | undefined;
  storage(s: { key: string; origin: string }): Classification | undefined;
}

const CMP_COOKIE_PLATFORM = new Map(CMP_HINTS.flatMap((h) => h.cookies.map((c) => [c.name, h.name] as const)));

/** The consent platform a cookie or key belongs to, when it stores a consent choice. */
function consentPlatform(name: string, classification: Classification | undefined): string | undefined {
  if (classification?.category === 'consent-management') return classification.vendorName;
  return CMP_COOKIE_PLATFORM.get(name);
}

/**
 * Cookies the audit itself saw being set before the store was read: the first response can set
 * cookies before the start-of-audit read completes. They are this audit's, not an earlier visit's.
 * (A cookie of an earlier visit that the first response set again within that moment is missed.)
 */
function setBefore(observations: readonly Observation[], readAt: number): Set<string> {
  const keys = new Set<string>();
  for (const o of observations)
    if (o.kind === 'cookie' && o.action !== 'removed' && !o.refused && o.time <= readAt)
      keys.add(`${o.name}|${o.domain}`);
  return keys;
}

const list = (names: string[], max = 6) =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;

/** Judges the start of an audit: what was there, whether it was clean, and what to warn about. */
export function judgeStartState(
  record: StartStateRecord,
  input: { site: string; observations: readonly Observation[]; classify: StartClassify },
): StartState {
  const { site } = input;
  const own = setBefore(input.observations, record.readAt);
  const found: StartItem[] = [];
  const consentCookies: StartState['consentCookies'] = [];
  const seen = new Set<string>();
  for (const c of record.cookies) {
    const key = `${c.name}|${c.domain}`;
    if (own.has(key) || seen.has(`${key}|${c.partitionSite ?? ''}`)) continue;
    seen.add(`${key}|${c.partitionSite ?? ''}`);
    const classification = input.classify.cookie(c);
    const platform = consentPlatform(c.name, classification);
    const item: StartItem = {
      name: c.name,
      domain: c.domain,
      store: 'cookie',
      ofSite: siteOf(c.domain) === site || c.partitionSite === site,
      ...(c.partitionSite ? { partitioned: true as const } : {}),
      ...(classification ? { category: classification.category, vendor: classification.vendorName } : {}),
      ...(platform ? { consent: true as const } : {}),
    };
    found.push(item);
    if (platform) consentCookies.push({ name: c.name, domain: c.domain, platform });
  }
  for (const s of record.storage ?? []) {
    const classification = input.classify.storage(s);
    const platform = consentPlatform(s.key, classification);
    found.push({
      name: s.key,
      domain: s.origin,
      store: s.area,
      ofSite: true,
      ...(classification ? { category: classification.category, vendor: classification.vendorName } : {}),
      ...(platform ? { consent: true as const } : {}),
    });
    if (platform) consentCookies.push({ name: s.key, domain: s.origin, platform });
  }
  const errors = [
    ...(record.errors ?? []),
    ...(record.storage
      ? []
      : ['web storage at the start is unknown: the first page sent no reading before its scripts ran']),
  ];
  const siteItems = found.filter((f) => f.ofSite);
  const clean = siteItems.length === 0 && consentCookies.length === 0;
  return {
    clean,
    readAt: isoTime(record.readAt),
    found,
    consentCookies,
    settings: record.settings,
    ...(record.cleanStart
      ? {
          cleanStart: {
            at: isoTime(record.cleanStart.at),
            cookies: record.cleanStart.cookies.length,
            hosts: record.cleanStart.hosts,
            errors: record.cleanStart.errors,
          },
        }
      : {}),
    ...startWarnings(site, found, consentCookies, record.settings),
    ...(errors.length ? { errors } : {}),
  };
}

function startWarnings(
  site: string,
  found: readonly StartItem[],
  consent: StartState['consentCookies'],
  settings: StartSettings,
): { reasons: string[]; warnings: string[] } {
  const reasons: string[] = [];
  for (const c of consent)
    reasons.push(
      `a consent ${c.domain.includes('://') ? 'record' : 'cookie'} (${c.name}, ${c.platform}) was already present: the banner may not show and the decision of an earlier visit applies`,
    );
  const cookies = found.filter((f) => f.ofSite && f.store === 'cookie' && !f.consent);
  if (cookies.length)
    reasons.push(
      `${cookies.length} cookie(s) of ${site} were already present (${list(cookies.map((c) => c.name))}): an earlier visit set them, so this audit does not see them being set`,
    );
  const storage = found.filter((f) => f.store !== 'cookie' && !f.consent);
  if (storage.length)
    reasons.push(
      `${storage.length} web storage key(s) of ${site} were already present (${list(storage.map((s) => s.name))})`,
    );
  const warnings = [...reasons];
  const third = found.filter((f) => !f.ofSite);
  if (third.length)
    warnings.push(
      `${third.length} third-party cookie(s) of hosts this site loads were already present (${list(third.map((c) => `${c.name}@${c.domain}`))}): trackers may recognise this browser from other sites`,
    );
  if (settings.thirdPartyCookies.state === 'blocked')
    warnings.push('third-party cookies are blocked in this browser: trackers’ cookies are missing from this audit');
  if (Array.isArray(settings.otherExtensions.state) && settings.otherExtensions.state.length)
    warnings.push(
      `other extensions are enabled (${list(settings.otherExtensions.state)}): they may block trackers or answer banners`,
    );
  if (settings.cookieBanners?.state === 'reject' || settings.cookieBanners?.state === 'reject-or-accept')
    warnings.push('Firefox answers cookie banners by itself in this profile: the banner may never show');
  return { reasons, warnings };
}

/** What a clean start clears: the site's hosts, and the third-party hosts its last audit loaded. */
export interface CleanTargets {
  site: string;
  /** Hosts of the site: their storage (localStorage, IndexedDB, caches) is cleared. */
  siteHosts: string[];
  /** Third-party hosts seen in the last audit: their cookies are cleared. */
  thirdPartyHosts: string[];
}

/** The hosts to clear for a site, from its last audit's observations (request hosts and storage origins). */
export function cleanTargets(site: string, observations: readonly Observation[]): CleanTargets {
  const siteHosts = new Set<string>([site, `www.${site}`]);
  const thirdPartyHosts = new Set<string>();
  for (const o of observations) {
    if (o.kind === 'request') (siteOf(o.host) === site ? siteHosts : thirdPartyHosts).add(o.host);
    else if (o.kind === 'storage') {
      const host = hostOfOrigin(o.origin);
      if (host && siteOf(host) === site) siteHosts.add(host);
    } else if (o.kind === 'cookie' && siteOf(o.domain) !== site) thirdPartyHosts.add(o.domain);
  }
  return { site, siteHosts: [...siteHosts].sort(), thirdPartyHosts: [...thirdPartyHosts].sort() };
}

function hostOfOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).hostname || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a clean start removes this cookie: one of the site (any subdomain), one in the site's
 * partition (a third party's cookie set while on the site), or one that a third-party host seen in
 * the last audit receives (the cookie's domain matches the host).
 */
export function shouldClear(
  cookie: Pick<StartCookieRecord, 'domain' | 'partitionSite'>,
  targets: CleanTargets,
): boolean {
  if (siteOf(cookie.domain) === targets.site || cookie.partitionSite === targets.site) return true;
  return targets.thirdPartyHosts.some((host) => hostMatches(host, cookie.domain));
}

/** The storage origins to clear for the site's hosts (Chromium's `browsingData` takes origins). */
export function originsOf(hosts: readonly string[]): string[] {
  return hosts.flatMap((h) => [`https://${h}`, `http://${h}`]);
}
