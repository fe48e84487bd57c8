import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { snapshotUnconfirmedCookies } from '../../entrypoints/background/cookie-snapshot';
import { pageCookieObservation } from '../../lib/collectors/normalize';
import type { Observation } from '../../lib/observations';
import { FakeSink } from './collectors-fakes';

const T0 = 1_700_000_000_000;

/** A page-world write the browser never confirmed, as the store would hold it. */
function pageWrite(raw: string, seq: number): Observation {
  const result = pageCookieObservation(
    { raw, url: 'https://www.o2toit.com/', via: 'document.cookie' },
    { time: T0 + seq, tabId: 5, frameId: 0, topSite: 'o2toit.com' },
  );
  if (!result.ok) throw new Error(result.error);
  return { ...result.observation, seq } as Observation;
}

describe('report-time cookie snapshot', () => {
  beforeEach(() => fakeBrowser.reset());

  it('asks the cookie store (partitions included) about unconfirmed writes, and records what it holds', async () => {
    const sink = new FakeSink();
    const meta = sink.start(5, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', T0);
    const getAll = vi.fn(async (details: { name?: string }) =>
      details.name === 'kept'
        ? [
            {
              name: 'kept',
              domain: 'www.o2toit.com',
              path: '/',
              hostOnly: true,
              session: false,
              expirationDate: (T0 + 400 * 86_400_000) / 1000,
              secure: false,
              httpOnly: false,
              value: 'v',
              storeId: '0',
            },
          ]
        : [],
    );
    Object.assign(fakeBrowser.cookies, { getAll });
    const recorded = await snapshotUnconfirmedCookies(sink, meta, [
      pageWrite('kept=1; Max-Age=99999999', 1),
      pageWrite('gone=1; Max-Age=3600', 2),
    ]);
    expect(recorded).toBe(true);
    expect(getAll.mock.calls.map(([d]) => d)).toEqual([
      { name: 'kept', domain: 'www.o2toit.com', partitionKey: {} },
      { name: 'gone', domain: 'www.o2toit.com', partitionKey: {} },
    ]);
    // What the store does not hold is a browser fact too: the engine may judge the write refused.
    expect(sink.of(5, 'cookie')).toEqual([
      expect.objectContaining({ name: 'kept', via: 'cookies-api', snapshot: true, tabId: 5 }),
      expect.objectContaining({
        name: 'gone',
        via: 'cookies-api',
        snapshot: true,
        action: 'removed',
        refused: expect.any(String),
      }),
    ]);
  });
});
