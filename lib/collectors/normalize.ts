/**
 * The pure half of the collectors: raw browser event shapes (declared here, not imported from
 * browser typings) become our observation records. The background hands these functions plain
 * objects, so every browser quirk is handled, and unit-tested, in one place.
 */
import type {
  FingerprintObservation,
  CookieObservation,
  RequestObservation,
  RequestType,
  StorageObservation,
  UnsequencedObservation,
} from '../observations';
import type { PageEvent } from '../messages';
import { consentModeOf } from '../consent/consent-mode';
import { hostOf, isThirdParty, siteOf } from '../site';
import {
  defaultCookiePath,
  parseCookieString,
  splitSetCookieHeaders,
  type CookieFlavor,
  type ParsedCookieWrite,
} from './set-cookie';
import { cookieValueOf, identifierDigests, redactCookieString } from './redact';
import { scanBody, type RawRequestBody } from './request-body';
import { hashDigests, newScan, scanUrl } from './sync-digests';

type Unsequenced<T> = Omit<T, 'seq'>;

/** The fields of a webRequest event we read; both Chrome and Firefox provide them. */
export interface RawRequest {
  requestId: string;
  url: string;
  method: string;
  type: string;
  tabId: number;
  frameId: number;
  timeStamp: number;
  initiator?: string; // Chrome
  originUrl?: string; // Firefox
  documentUrl?: string; // Firefox
  statusCode?: number;
  responseHeaders?: Array<{ name: string; value?: string }>;
  /** Only from the body listener of a tab under audit (request-collector.ts); digested here, never kept. */
  requestBody?: RawRequestBody;
}

const TYPE_MAP: Record<string, RequestType> = {
  main_frame: 'main_frame',
  sub_frame: 'sub_frame',
  script: 'script',
  xmlhttprequest: 'xmlhttprequest',
  image: 'image',
  imageset: 'image',
  stylesheet: 'stylesheet',
  font: 'font',
  ping: 'ping',
  beacon: 'ping', // Firefox names sendBeacon requests "beacon"
  media: 'media',
  websocket: 'websocket',
};

export function requestObservation(raw: RawRequest, topSite: string): Unsequenced<RequestObservation> {
  const host = hostOf(raw.url);
  const initiator = raw.initiator ?? raw.originUrl;
  return {
    kind: 'request',
    time: raw.timeStamp,
    tabId: raw.tabId,
    frameId: raw.frameId,
    url: raw.url,
    topSite,
    source: 'webRequest',
    requestId: raw.requestId,
    method: raw.method,
    type: TYPE_MAP[raw.type] ?? 'other',
    host,
    site: siteOf(host),
    thirdParty: isThirdParty(host, topSite),
    ...(initiator ? { initiator } : {}),
    ...(raw.statusCode !== undefined ? { statusCode: raw.statusCode } : {}),
    ...consentModeField(raw.url),
    ...carriedField(raw, host, topSite),
  };
}

/**
 * What a third-party request carries in its URL and body, by digest (cookie syncing); a first-party
 * request shares nothing with another site. The body itself goes no further than this function.
 */
function carriedField(raw: RawRequest, host: string, topSite: string): { carried?: RequestObservation['carried'] } {
  if (!isThirdParty(host, topSite)) return {};
  const scan = scanUrl(newScan(raw.timeStamp), raw.url);
  if (raw.requestBody) scanBody(scan, raw.requestBody);
  return scan.out.length ? { carried: scan.out } : {};
}

/** Consent Mode parameters, read only from URLs that carry them (cheap check first: every request passes here). */
function consentModeField(url: string): { consentMode?: NonNullable<RequestObservation['consentMode']> } {
  if (!url.includes('gcs=') && !url.includes('gcd=')) return {};
  const consentMode = consentModeOf(url);
  return consentMode ? { consentMode } : {};
}

function cookieFromParsed(
  parsed: ParsedCookieWrite,
  base: Pick<CookieObservation, 'time' | 'tabId' | 'frameId' | 'url' | 'topSite' | 'source' | 'via'>,
  raw: string,
): Unsequenced<CookieObservation> {
  return {
    kind: 'cookie',
    ...base,
    action: parsed.deletes ? 'removed' : 'set',
    name: parsed.name,
    domain: parsed.domain,
    path: parsed.path,
    hostOnly: parsed.hostOnly,
    raw: redactCookieString(raw),
    session: parsed.session,
    ...(parsed.requestedExpiry !== undefined ? { requestedExpiry: parsed.requestedExpiry } : {}),
    secure: parsed.secure,
    httpOnly: parsed.httpOnly,
    ...(parsed.sameSite ? { sameSite: parsed.sameSite } : {}),
    valueLength: parsed.valueLength,
    ...(parsed.refused ? { refused: parsed.refused } : {}),
    ...digestsOf(cookieValueOf(raw)),
  };
}

/** `valueDigests` (and `hashDigests`) of a cookie value, when it is long enough to be an identifier. */
function digestsOf(value: string): { valueDigests?: string[]; hashDigests?: string[] } {
  const valueDigests = identifierDigests(value);
  return valueDigests.length ? { valueDigests, hashDigests: hashDigests(value) } : {};
}

export interface HeaderCookies {
  observations: Unsequenced<CookieObservation>[];
  /** One line per Set-Cookie header that could not be parsed; nothing else is lost. */
  errors: string[];
}

/** Cookies requested by the `Set-Cookie` headers of a response. */
export function headerCookieObservations(
  raw: RawRequest,
  topSite: string,
  flavor: CookieFlavor = 'chromium',
): HeaderCookies {
  const host = hostOf(raw.url);
  const path = defaultCookiePath(raw.url);
  const result: HeaderCookies = { observations: [], errors: [] };
  for (const line of splitSetCookieHeaders(raw.responseHeaders ?? [])) {
    const parsed = parseCookieString(line, host, raw.timeStamp, path, flavor);
    if (!parsed.ok) {
      result.errors.push(`Set-Cookie from ${raw.url}: ${parsed.error}: ${redactCookieString(parsed.raw)}`);
      continue;
    }
    const base = {
      time: raw.timeStamp,
      tabId: raw.tabId,
      frameId: raw.frameId,
      url: raw.url,
      topSite,
      source: 'webRequest' as const,
      via: 'set-cookie-header' as const,
    };
    result.observations.push(cookieFromParsed(parsed.cookie, base, line));
  }
  return result;
}

/** A web-storage write reported by the page-world hook (untrusted). Keys and lengths only. */
export function storageObservation(
  event: Extract<PageEvent, { type: 'storage' }>,
  context: { time: number; tabId: number; frameId: number; topSite: string },
): Unsequenced<StorageObservation> {
  let origin = '';
  try {
    origin = new URL(event.url).origin;
  } catch {
    // keep '' for an unparsable URL
  }
  return {
    kind: 'storage',
    ...context,
    url: event.url,
    // A write the hook missed, found by the isolated world's snapshots: read from page state.
    source: event.seenBy === 'snapshot' ? 'page-state' : 'page-hook',
    area: event.area,
    action: event.action,
    key: event.key,
    origin,
    ...(event.valueLength !== undefined ? { valueLength: event.valueLength } : {}),
    ...(event.valueDigests?.length ? { valueDigests: event.valueDigests } : {}),
    ...(event.valueDigests?.length && event.hashDigests?.length ? { hashDigests: event.hashDigests } : {}),
    ...(event.initiator ? { initiator: event.initiator } : {}),
    ...(event.initiatorShaped ? { initiatorShaped: true } : {}),
    ...(event.seenBy ? { seenBy: event.seenBy } : {}),
  };
}

/** A fingerprinting probe reported by the page-world hook (untrusted). */
export function fingerprintObservation(
  event: Extract<PageEvent, { type: 'fingerprint' }>,
  context: { time: number; tabId: number; frameId: number; topSite: string },
): Unsequenced<FingerprintObservation> {
  let origin = '';
  try {
    origin = new URL(event.url).origin;
  } catch {
    // keep '' for an unparsable URL
  }
  return {
    kind: 'fingerprint',
    ...context,
    url: event.url,
    source: 'page-hook',
    technique: event.technique,
    detail: event.detail,
    origin,
    ...(event.initiator ? { initiator: event.initiator } : {}),
    ...(event.initiatorShaped ? { initiatorShaped: true } : {}),
  };
}

/** A `document.cookie` or `cookieStore` write reported by the page-world hook (untrusted). */
export function pageCookieObservation(
  event: {
    raw: string;
    url: string;
    initiator?: string;
    initiatorShaped?: true;
    via?: 'document.cookie' | 'cookieStore';
  },
  context: { time: number; tabId: number; frameId: number; topSite: string },
  flavor: CookieFlavor = 'chromium',
): { ok: true; observation: Unsequenced<CookieObservation> } | { ok: false; error: string } {
  const parsed = parseCookieString(event.raw, hostOf(event.url), context.time, defaultCookiePath(event.url), flavor);
  if (!parsed.ok) return { ok: false, error: `document.cookie on ${event.url}: ${parsed.error}` };
  const observation = cookieFromParsed(
    parsed.cookie,
    { ...context, url: event.url, source: 'page-hook', via: event.via ?? 'document.cookie' },
    event.raw,
  );
  return {
    ok: true,
    observation: {
      ...observation,
      ...(event.initiator ? { initiator: event.initiator } : {}),
      ...(event.initiatorShaped ? { initiatorShaped: true } : {}),
    },
  };
}

/** The fields of a `cookies.onChanged` event we read. */
export interface RawCookieChange {
  removed: boolean;
  cause: string;
  cookie: {
    name: string;
    domain: string;
    path: string;
    hostOnly: boolean;
    session: boolean;
    expirationDate?: number; // seconds since epoch
    secure: boolean;
    httpOnly: boolean;
    sameSite?: string;
    value: string;
    partitionKey?: { topLevelSite?: string } | Record<string, unknown>;
  };
}

/**
 * A cookie change as the browser stored it. Chrome reports an overwrite as "removed (overwrite)"
 * then "set"; the first half carries no information, so it is dropped here.
 */
export function cookieApiObservation(
  change: RawCookieChange,
  context: { time: number; tabId: number; topSite: string },
): Unsequenced<CookieObservation> | undefined {
  if (change.removed && change.cause === 'overwrite') return undefined;
  const { cookie } = change;
  const domain = cookie.domain.replace(/^\./, '');
  const partition = cookie.partitionKey as { topLevelSite?: string } | undefined;
  return {
    kind: 'cookie',
    time: context.time,
    tabId: context.tabId,
    frameId: -1,
    url: `https://${domain}${cookie.path}`,
    topSite: context.topSite,
    source: 'cookies-api',
    action: change.removed ? 'removed' : 'set',
    name: cookie.name,
    domain,
    path: cookie.path,
    hostOnly: cookie.hostOnly,
    via: 'cookies-api',
    session: cookie.session,
    ...(cookie.expirationDate !== undefined && !cookie.session
      ? { effectiveExpiry: Math.round(cookie.expirationDate * 1000) }
      : {}),
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    ...(cookie.sameSite ? { sameSite: cookie.sameSite } : {}),
    ...(partition ? { partitionKey: partition.topLevelSite ?? JSON.stringify(partition) } : {}),
    valueLength: cookie.value.length,
    ...digestsOf(cookie.value),
  };
}

/**
 * The cookie store, asked when a report was built, holds no cookie a requested write should have
 * left, and no cookies-API change reported one: a browser fact that the write was refused.
 */
export function absentCookieObservation(
  write: { name: string; domain: string; path: string },
  context: { time: number; tabId: number; topSite: string },
): Unsequenced<CookieObservation> {
  return {
    kind: 'cookie',
    time: context.time,
    tabId: context.tabId,
    frameId: -1,
    url: `https://${write.domain}${write.path}`,
    topSite: context.topSite,
    source: 'cookies-api',
    action: 'removed',
    name: write.name,
    domain: write.domain,
    path: write.path,
    via: 'cookies-api',
    session: true,
    snapshot: true,
    refused: 'no cookies-API change, and not in the cookie store when the report was built',
  };
}

export type { UnsequencedObservation };
