/**
 * Requests recovered from the page's Resource Timing entries.
 *
 * webRequest is the ground truth of requests, but its events cannot be resent: a request made while
 * the MV3 worker (or Firefox's event page) is stopped or starting can be lost. The browser also keeps
 * a performance timeline per document. The relay (isolated world, whose `PerformanceObserver` the page
 * cannot replace, and which sees every entry even past the page's 250-entry buffer) sends each
 * entry's URL and start time, resending until acknowledged. A page cannot create entries; it can only
 * make real requests, or hide its own (which webRequest still sees). So an entry is evidence that the
 * request was made, with that provenance, and the report uses it only where webRequest saw nothing.
 *
 * Matching is by URL, as a set: an entry whose URL webRequest reported at any time in the audit is
 * not a miss. A URL fetched twice with one webRequest event (a repeat served from memory cache) is
 * therefore never "recovered": the count is a lower bound, never an invention. Chromium adds a
 * `fetch()` to the timeline only once its response body is read, so a lost fetch whose body the page
 * never read (a fire-and-forget hit) stays lost, and is covered only by the worker-restart note.
 * Requests of frames the relay does not run in (other sites' frames) are not in its timelines.
 */
import type { Observation, RequestObservation } from '../observations';
import { requestObservation } from './normalize';
import { MAX_TIMINGS_PER_MESSAGE, type TimingEntry } from './timing-entry';

type Unsequenced<T> = Omit<T, 'seq'>;

const MAX_URL = 4096;
export { MAX_TIMINGS_PER_MESSAGE, type TimingEntry } from './timing-entry';

const TYPE_OF: Record<string, string> = {
  navigation: 'main_frame',
  iframe: 'sub_frame',
  frame: 'sub_frame',
  script: 'script',
  img: 'image',
  image: 'image',
  css: 'stylesheet',
  link: 'stylesheet',
  fetch: 'xmlhttprequest',
  xmlhttprequest: 'xmlhttprequest',
  beacon: 'ping',
  audio: 'media',
  video: 'media',
};

/** Validates the relay's entries (a message from a content script is still checked field by field). */
export function sanitizeTimings(value: unknown): TimingEntry[] {
  if (!Array.isArray(value)) return [];
  const out: TimingEntry[] = [];
  for (const e of value.slice(0, MAX_TIMINGS_PER_MESSAGE)) {
    const d = e as Partial<TimingEntry> | null;
    if (typeof d?.url !== 'string' || d.url.length > MAX_URL || !/^https?:\/\//i.test(d.url)) continue;
    if (typeof d.start !== 'number' || !Number.isFinite(d.start)) continue;
    out.push({
      url: d.url,
      start: d.start,
      initiator: typeof d.initiator === 'string' ? d.initiator.slice(0, 32) : '',
    });
  }
  return out;
}

/** A request observation of an entry, marked as seen by Resource Timing (source `page-state`). */
export function timingObservation(
  entry: TimingEntry,
  ctx: { tabId: number; frameId: number; topSite: string; time: number },
): Unsequenced<RequestObservation> {
  const base = requestObservation(
    {
      requestId: `rt:${entry.start}:${entry.url.length}`,
      url: entry.url,
      method: 'GET', // Resource Timing does not say; beacons and fetches may have been POSTs
      type: TYPE_OF[entry.initiator] ?? 'other',
      tabId: ctx.tabId,
      frameId: ctx.frameId,
      // The browser's start time, bounded by the background's clock (a page's clock skew cannot move it later).
      timeStamp: entry.start <= ctx.time ? entry.start : ctx.time,
    },
    ctx.topSite,
  );
  return { ...base, source: 'page-state', seenBy: 'resource-timing' };
}

/**
 * Keeps the Resource Timing requests webRequest did not report (each URL and start once) and drops
 * the others, which are only confirmations. Returns the kept count for the report's notes.
 */
export function reconcileTimings(observations: readonly Observation[]): {
  observations: Observation[];
  recovered: number;
} {
  const seen = new Set<string>();
  let timings = 0;
  for (const o of observations) {
    if (o.kind !== 'request') continue;
    if (o.seenBy === 'resource-timing') timings++;
    else seen.add(o.url);
  }
  if (!timings) return { observations: [...observations], recovered: 0 };
  const kept = new Set<string>();
  let recovered = 0;
  const out = observations.filter((o) => {
    if (o.kind !== 'request' || o.seenBy !== 'resource-timing') return true;
    const id = `${o.time}\u0000${o.url}`;
    if (seen.has(o.url) || kept.has(id)) return false;
    kept.add(id);
    recovered++;
    return true;
  });
  return { observations: out, recovered };
}

/** The report note for recovered requests, or none. */
export function recoveredNote(recovered: number): string[] {
  return recovered
    ? [
        `${recovered} request(s) were missed by the extension's background (webRequest, during a worker stop) and recovered from the page's Resource Timing entries; they are marked seenBy "resource-timing" (method and status unknown).`,
      ]
    : [];
}
