/**
 * The relay's Resource Timing entry and its message size, in a module with no imports: the relay runs
 * in every frame of an audited page at document_start, and importing them from resource-timing.ts
 * pulled the public-suffix list (tldts, through normalize.ts and site.ts) into it.
 */

/** One entry as the relay sends it. */
export interface TimingEntry {
  url: string;
  /** ms since the epoch: `performance.timeOrigin + startTime`, the browser's clock. */
  start: number;
  /** The entry's `initiatorType` (script, img, fetch, beacon, navigation…). */
  initiator: string;
}

/** Entries taken per message: the relay sends in pieces of at most this many. */
export const MAX_TIMINGS_PER_MESSAGE = 500;
