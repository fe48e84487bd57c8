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
  /** Why the browser refused to store it (see CookieObservation.refused); such a write is never a cookie. */
  refused?: string;
  observations: Phased<CookieObservation>[];
}

/**
 * Whether the browser itself vouches for the write: a Set-Cookie header (webRequest), or the cookie
 * store reporting the cookie (event or snapshot). A page-world report alone is not enough: the page
 * can post anything on its own window, so it may add detail (the requested lifetime) to a fact the
 * browser confirms, never create one.
 */
export function isConfirmed(write: CookieWrite): boolean {
  if (write.refused) return false;
  return write.via === 'set-cookie-header' || write.observations.some((o) => o.via === 'cookies-api');
}

/** Writes the browser refused: a header with a `Domain=` of another site, or one the store never held. */
export function refusedWrites(writes: readonly CookieWrite[]): CookieWrite[] {
  return writes.filter((w) => w.refused !== undefined);
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
    ...(o.refused !== undefined ? { refused: o.refused } : {}),
    observations: [o],
  };
}

const keyOf = (w: { name: string; domain: string; path: string }) => `${w.name}|${normalize(w.domain)}|${w.path}`;

/**
 * A store snapshot that found nothing (`refused` set on a cookies-API snapshot): the latest requested
 * write of that cookie before it, if the browser never reported storing it, was refused. A later
 * write of the same cookie (a deletion) would explain the absence, so only the latest one counts.
 */
function markRefused(requested: readonly CookieWrite[], absent: Phased<CookieObservation>): void {
  const key = keyOf(absent);
  const before = requested.filter((w) => keyOf(w) === key && w.time <= absent.time);
  const latest = before.at(-1);
  if (!latest || latest.deletes || latest.observations.some((o) => o.via === 'cookies-api')) return;
  latest.refused ??= absent.refused;
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
    if (o.snapshot && o.refused !== undefined) continue; // handled once every pairing is done
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
    // The browser's word on persistence wins over a page that claimed a session cookie.
    if (!o.session && o.action !== 'removed') best.session = false;
    // The browser's own event can arrive before the page-world report of the same write (which is
    // relayed in batches): the write happened when it was first seen, and in that moment's phase.
    // Snapshots are taken later on purpose and never move the write.
    if (!o.snapshot && o.seq < best.seq) {
      best.seq = o.seq;
      best.time = o.time;
      best.phase = o.phase;
    }
  }
  for (const o of cookies) if (o.snapshot && o.refused !== undefined && !isRequested(o)) markRefused(requested, o);
  return [...requested, ...standalone].sort((a, b) => a.seq - b.seq);
}

/**
 * The expiry to judge: the larger of what was requested and what the browser stored. A requested
 * lifetime above the browser's 400-day cap is what the site asked for, and is judged; a page-world
 * report claiming *less* than the browser stored (`max-age=3600` for a cookie kept 400 days) is a
 * claim the browser contradicts, and can never lower the lifetime.
 */
export function judgedExpiry(write: CookieWrite): number | undefined {
  const { requestedExpiry: r, effectiveExpiry: e } = write;
  if (r === undefined) return e;
  if (e === undefined) return r;
  return Math.max(r, e);
}

/** Which expiry {@link judgedExpiry} took: the requested one, or the browser's stored one. */
export function judgedOn(write: CookieWrite): 'requested' | 'effective' | undefined {
  const judged = judgedExpiry(write);
  if (judged === undefined) return undefined;
  return write.requestedExpiry === judged ? 'requested' : 'effective';
}

/** Requested writes the browser never reported storing: candidates for a cookie-store snapshot. */
export function unconfirmedWrites(writes: readonly CookieWrite[]): CookieWrite[] {
  return writes.filter(
    (w) => w.via !== 'cookies-api' && !w.deletes && w.refused === undefined && w.observations.length === 1,
  );
}
