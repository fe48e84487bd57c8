import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CookieAttribution } from '../../entrypoints/background/cookie-attribution';
import { cookieCollector } from '../../entrypoints/background/cookie-collector';
import { snapshotUnconfirmedCookies } from '../../entrypoints/background/cookie-snapshot';
import { setStoreOf, storeOf } from '../../entrypoints/background/cookie-stores';
import { createReadiness } from '../../entrypoints/background/readiness';
import { inTabStore, storeFilter } from '../../lib/collectors/cookie-store';
import { pageCookieObservation } from '../../lib/collectors/normalize';
import type { Observation } from '../../lib/observations';
import { FakeSink, installFakeEvents } from './collectors-fakes';

const T0 = 1_700_000_000_000;
const CONTAINER = 'firefox-container-7';

function change(name: string, storeId: string | undefined) {
  return {
    removed: false,
    cause: 'explicit',
    cookie: {
      name,
      domain: '.o2toit.com',
      path: '/',
      hostOnly: false,
      session: true,
      secure: true,
      httpOnly: false,
      value: 'x',
      ...(storeId ? { storeId } : {}),
    },
  };
}

describe('cookie store of an audit', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps a cookie of the tab store, drops one of another store, and keeps it when a side is unknown', () => {
    expect(inTabStore(CONTAINER, CONTAINER)).toBe(true);
    expect(inTabStore('firefox-default', CONTAINER)).toBe(false);
    expect(inTabStore(CONTAINER, 'firefox-default')).toBe(false);
    expect(inTabStore('1', '0')).toBe(false); // Chromium: incognito is not the regular store
    expect(inTabStore(undefined, CONTAINER)).toBe(true);
    expect(inTabStore(CONTAINER, undefined)).toBe(true);
    expect(storeFilter(CONTAINER)).toEqual({ storeId: CONTAINER });
    expect(storeFilter(undefined)).toEqual({});
  });

  it("records each change in the audit of its own store only: a container audit gets none of the default store's", async () => {
    const events = installFakeEvents();
    const sink = new FakeSink();
    const readiness = createReadiness(Promise.resolve());
    const known = new Map<number, string>([
      [3, 'firefox-default'],
      [4, CONTAINER],
    ]);
    cookieCollector({
      sink,
      attribution: new CookieAttribution(),
      readiness,
      isPolicySite: (site) => site === 'o2toit.com',
      now: () => T0 + 1,
      stores: { known: (tabId) => known.get(tabId), read: async (tabId) => known.get(tabId) },
    }).start();
    sink.start(3, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', T0);
    sink.start(4, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', T0);
    events.cookieChanged.fire(change('in_default', 'firefox-default'));
    events.cookieChanged.fire(change('in_container', CONTAINER));
    events.cookieChanged.fire(change('no_store', undefined));
    await readiness.ready;
    const names = (tabId: number) => sink.of(tabId, 'cookie').map((o) => (o.kind === 'cookie' ? o.name : ''));
    expect(names(3)).toEqual(['in_default', 'no_store']);
    expect(names(4)).toEqual(['in_container', 'no_store']);
  });

  it("reads the tab's store once and keeps it after the tab is gone", async () => {
    const get = vi.fn(async () => ({ id: 11, cookieStoreId: CONTAINER }));
    Object.assign(fakeBrowser.tabs, { get });
    expect(await storeOf(11)).toBe(CONTAINER);
    get.mockRejectedValue(new Error('no tab'));
    expect(await storeOf(11)).toBe(CONTAINER);
    expect(get).toHaveBeenCalledTimes(1);
  });

  it("asks the report-time snapshot of the audited tab's store, not the browser's default", async () => {
    const sink = new FakeSink();
    const meta = sink.start(6, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', T0);
    setStoreOf(6, CONTAINER);
    const getAll = vi.fn(async (_details: unknown) => [] as unknown[]);
    Object.assign(fakeBrowser.cookies, { getAll });
    const write = pageCookieObservation(
      { raw: 'kept=1; Max-Age=3600', url: 'https://www.o2toit.com/', via: 'document.cookie' },
      { time: T0 + 1, tabId: 6, frameId: 0, topSite: 'o2toit.com' },
    );
    if (!write.ok) throw new Error(write.error);
    await snapshotUnconfirmedCookies(sink, meta, [{ ...write.observation, seq: 1 } as Observation]);
    expect(getAll.mock.calls.map(([d]) => d)).toEqual([
      { name: 'kept', domain: 'www.o2toit.com', storeId: CONTAINER, partitionKey: {} },
    ]);
  });
});
