import type { ConsentPhase, CookieObservation, CookieVia, Scenario } from '../observations';
import type { Phased } from './phases';

/**
 * One logical cookie write, joining what the site *requested* (Set-Cookie header or page-world
 * write) with what the browser *stored* (cookies API, capped at 400 days). The two arrive as
 * separate observations, usually within milliseconds.
 */
export interface CookieWrite {
  name: string;
  /** Without a leading dot. */
  domain: string;
  path: string;
  seq: number;
  time: number;
  phase: ConsentPhase;
  scenario?: Scenario;
  via: CookieVia;
  session: boolean;
  deletes: boolean;
  requestedExpiry?: number;
  effectiveExpiry?: number;
  raw?: string;
  initiator?: string;
  url: string;
  observations: Phased<CookieObservation>[];
}

/**
 * Whether the browser itself vouches for the write: a Set-Cookie header (webRequest), or the cookie
 * store reporting the cookie (event or snapshot). A page-world report alone is not enough: the page
 * can post anything on its own window, so it may add detail (the requested lifetime) to a fact the
 * browser confirms, never create one.
 */
export function isConfirmed(write: CookieWrite): boolean {
  return write.via === 'set-cookie-header' || write.observations.some((o) => o.via === 'cookies-api');
}

/** How long after a requested write we still pair the browser's own report of it. */
const PAIRING_WINDOW_MS = 10_000;

const normalize = (domain: string) => domain.toLowerCase().replace(/^\./, '');

function isRequested(o: CookieObservation): boolean {
  return o.via !== 'cookies-api';
}

function fromObservation(o: Phased<CookieObservation>): CookieWrite {
  const expiry = o.requestedExpiry ?? o.effectiveExpiry;
  return {
    name: o.name,
    domain: normalize(o.domain),
    path: o.path,
    seq: o.seq,
    time: o.time,
    phase: o.phase,
    ...(o.scenario ? { scenario: o.scenario } : {}),
    via: o.via,
    session: o.session,
    deletes: o.action === 'removed' || (expiry !== undefined && expiry <= o.time),
    ...(isRequested(o) && o.requestedExpiry !== undefined ? { requestedExpiry: o.requestedExpiry } : {}),
    ...(o.effectiveExpiry !== undefined ? { effectiveExpiry: o.effectiveExpiry } : {}),
    ...(o.raw ? { raw: o.raw } : {}),
    ...(o.initiator ? { initiator: o.initiator } : {}),
    url: o.url,
    observations: [o],
  };
}

/**
 * Joins cookie observations into logical writes. The browser's report may come before the
 * requested write (a page-world report is relayed after the cookies API has fired) or after it
 * (a Set-Cookie header is seen before the cookie is stored), so pairing looks both ways and takes
 * the closest unpaired candidate in time.
 */
export function cookieWrites(observations: readonly Phased[]): CookieWrite[] {
  const cookies = observations.filter((o): o is Phased<CookieObservation> => o.kind === 'cookie');
  const requested = cookies.filter(isRequested).map(fromObservation);
  // Candidates by name, domain and path, each list in the order of `requested`.
  const candidates = new Map<string, CookieWrite[]>();
  for (const w of requested) {
    const key = `${w.name}\n${w.domain}\n${w.path}`;
    const list = candidates.get(key);
    if (list) list.push(w);
    else candidates.set(key, [w]);
  }
  const paired = new Set<CookieWrite>();
  const standalone: CookieWrite[] = [];
  for (const o of cookies) {
    if (isRequested(o)) continue;
    const domain = normalize(o.domain);
    let best: CookieWrite | undefined;
    for (const w of candidates.get(`${o.name}\n${domain}\n${o.path}`) ?? []) {
      if (paired.has(w) || w.name !== o.name || w.domain !== domain || w.path !== o.path) continue;
      if ((o.action === 'removed') !== w.deletes) continue;
      const distance = Math.abs(o.time - w.time);
      // A store snapshot is taken later, on purpose: it belongs to the latest write before it.
      const near = o.snapshot ? w.time <= o.time : distance <= PAIRING_WINDOW_MS;
      if (near && (!best || distance < Math.abs(o.time - best.time))) best = w;
    }
    if (!best) {
      if (!o.snapshot) standalone.push(fromObservation(o));
      continue;
    }
    paired.add(best);
    best.observations.push(o);
    if (o.effectiveExpiry !== undefined) best.effectiveExpiry = o.effectiveExpiry;
    // The browser's own event can arrive before the page-world report of the same write (which is
    // relayed in batches): the write happened when it was first seen, and in that moment's phase.
    // Snapshots are taken later on purpose and never move the write.
    if (!o.snapshot && o.seq < best.seq) {
      best.seq = o.seq;
      best.time = o.time;
      best.phase = o.phase;
    }
  }
  return [...requested, ...standalone].sort((a, b) => a.seq - b.seq);
}

/** The expiry to judge: what the site asked for when we know it, else what the browser stored. */
export function judgedExpiry(write: CookieWrite): number | undefined {
  return write.requestedExpiry ?? write.effectiveExpiry;
}

/** Requested writes the browser never reported storing: candidates for a cookie-store snapshot. */
export function unconfirmedWrites(writes: readonly CookieWrite[]): CookieWrite[] {
  return writes.filter((w) => w.via !== 'cookies-api' && !w.deletes && w.observations.length === 1);
}
