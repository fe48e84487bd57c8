import { MAX_TIMINGS_PER_MESSAGE, type TimingEntry } from '@/lib/collectors/timing-entry';

const BATCH_MS = 500;
const MAX_PENDING = 20_000;
/** Delays before a refused or unanswered send is retried: 0.5 s doubling up to 8 s. */
const retryDelay = (failures: number) => Math.min(8_000, 500 * 2 ** (failures - 1));

/**
 * The frame's Resource Timing entries, sent to the background until acknowledged, so it can count the
 * requests webRequest missed (lib/collectors/resource-timing.ts). A `PerformanceObserver` made in the
 * isolated world receives every entry, past the 250 the page's buffer keeps and whatever the page
 * clears; where the observer is missing, the timeline is read with a cursor instead.
 */
export function watchTimings(send: (entries: TimingEntry[]) => Promise<boolean>) {
  const pending: TimingEntry[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending: Promise<void> | undefined;
  let failures = 0;
  let cursor = 0;
  let observing = false;

  const take = (entries: PerformanceEntryList) => {
    for (const e of entries) {
      if (pending.length >= MAX_PENDING) return;
      const initiator = (e as PerformanceResourceTiming).initiatorType || e.entryType;
      pending.push({ url: e.name, start: Math.round(performance.timeOrigin + e.startTime), initiator });
    }
  };
  const later = (ms: number) => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
  };
  const poll = () => {
    if (observing) return;
    const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    take(all.slice(cursor));
    cursor = all.length;
  };

  /** Sends everything seen so far; resolves when it is acknowledged (or a retry is scheduled). */
  function flush(): Promise<void> {
    poll();
    sending ??= (async () => {
      try {
        while (pending.length) {
          const piece = pending.slice(0, MAX_TIMINGS_PER_MESSAGE);
          if (!(await send(piece).catch(() => false))) {
            later(retryDelay(++failures));
            return;
          }
          failures = 0;
          pending.splice(0, piece.length);
        }
      } finally {
        sending = undefined;
      }
    })();
    return sending;
  }

  try {
    const observer = new PerformanceObserver((list) => {
      take(list.getEntries());
      later(BATCH_MS);
    });
    observer.observe({ type: 'navigation', buffered: true });
    observer.observe({ type: 'resource', buffered: true });
    observing = true;
  } catch {
    setInterval(() => later(0), BATCH_MS * 4);
  }

  return {
    flush,
    /** The page is leaving: everything left, sent once, unacknowledged. */
    leave() {
      poll();
      if (pending.length) void send(pending.splice(0, MAX_TIMINGS_PER_MESSAGE)).catch(() => false);
    },
  };
}
