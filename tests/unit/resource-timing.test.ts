import { describe, expect, it } from 'vitest';
import {
  reconcileTimings,
  recoveredNote,
  sanitizeTimings,
  timingObservation,
  type TimingEntry,
} from '../../lib/collectors/resource-timing';
import { requestObservation } from '../../lib/collectors/normalize';
import type { Observation } from '../../lib/observations';
import { recordTimings } from '../../entrypoints/background/resource-timings';
import { FakeSink } from './collectors-fakes';

const T0 = 1_700_000_000_000;
const ctx = { tabId: 5, frameId: 0, topSite: 'o2toit.com', time: T0 + 10_000 };
const ping = (i: number) => `https://www.o2toit.com/consent/burst-ping?i=${i}`;
let seq = 0;
const webRequest = (url: string, time: number): Observation => ({
  ...requestObservation(
    { requestId: String(time), url, method: 'GET', type: 'xmlhttprequest', tabId: 5, frameId: 0, timeStamp: time },
    'o2toit.com',
  ),
  seq: ++seq,
});
const timing = (entry: TimingEntry): Observation => ({ ...timingObservation(entry, ctx), seq: ++seq });

describe('requests recovered from Resource Timing', () => {
  it('keeps exactly the requests webRequest missed, each once, with their own time and provenance', () => {
    // Ground truth: 10 requests made; webRequest saw 7 (3, 4 and 8 fell in a worker stop).
    const made = Array.from({ length: 10 }, (_, i) => ({ url: ping(i), start: T0 + i * 100, initiator: 'fetch' }));
    const missed = new Set([3, 4, 8]);
    const observations = [
      ...made.filter((_, i) => !missed.has(i)).map((e) => webRequest(e.url, e.start)),
      ...made.map(timing),
      // The relay resent a piece whose answer a stop took: duplicates of entries already stored.
      ...made.slice(2, 6).map(timing),
    ];
    const { observations: kept, recovered } = reconcileTimings(observations);
    const requests = kept.filter((o) => o.kind === 'request');
    expect(requests.map((o) => o.url).sort()).toEqual(made.map((e) => e.url).sort());
    expect(recovered).toBe(missed.size);
    const rt = requests.filter((o) => o.kind === 'request' && o.seenBy === 'resource-timing');
    expect(rt.map((o) => o.url).sort()).toEqual([...missed].map(ping).sort());
    expect(rt.every((o) => o.source === 'page-state' && o.type === 'xmlhttprequest')).toBe(true);
    expect(rt.map((o) => o.time).sort()).toEqual([...missed].map((i) => T0 + i * 100).sort());
    expect(recoveredNote(recovered)[0]).toMatch(
      /^3 request\(s\) were missed .* recovered from the page's Resource Timing/,
    );
  });

  it('changes nothing when webRequest saw everything', () => {
    const observations = [webRequest(ping(1), T0), timing({ url: ping(1), start: T0, initiator: 'fetch' })];
    const result = reconcileTimings(observations);
    expect(result.recovered).toBe(0);
    expect(result.observations).toEqual([observations[0]]);
    expect(recoveredNote(0)).toEqual([]);
  });

  it('takes only well-formed http(s) entries, and never a time later than the background saw them', () => {
    const entries = sanitizeTimings([
      { url: ping(1), start: T0, initiator: 'img' },
      { url: 'data:image/png;base64,AAAA', start: T0, initiator: 'img' },
      { url: ping(2), start: Number.NaN, initiator: 'img' },
      { url: 42, start: T0 },
      null,
    ]);
    expect(entries).toEqual([{ url: ping(1), start: T0, initiator: 'img' }]);
    expect(sanitizeTimings('nope')).toEqual([]);
    const future = timingObservation({ url: ping(3), start: ctx.time + 60_000, initiator: 'script' }, ctx);
    expect(future).toMatchObject({ time: ctx.time, type: 'script', seenBy: 'resource-timing', thirdParty: false });
  });
});

describe('the background records a frame’s Resource Timing entries', () => {
  it('as requests of the audit, leaving out what predates the audit and what is malformed', () => {
    const sink = new FakeSink();
    sink.start(5, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/consent/burst.html', T0);
    const sender = { tab: { id: 5 }, frameId: 2 };
    recordTimings(
      [
        { url: 'https://www.o2toit.com/consent/burst.html', start: T0 - 5, initiator: 'navigation' },
        { url: ping(1), start: T0 + 100, initiator: 'fetch' },
        { url: 'javascript:void 0', start: T0 + 200, initiator: 'other' },
      ],
      sender,
      sink as never,
    );
    recordTimings([{ url: ping(2), start: T0 + 300, initiator: 'img' }], { tab: { id: 9 } }, sink as never);
    expect(sink.of(5, 'request')).toEqual([
      expect.objectContaining({ url: ping(1), time: T0 + 100, frameId: 2, seenBy: 'resource-timing' }),
    ]);
    expect(sink.of(9, 'request')).toEqual([]);
  });
});
