import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ATTRIBUTION_WINDOW_MS, CookieAttribution } from '../../entrypoints/background/cookie-attribution';
import { cookieCollector } from '../../entrypoints/background/cookie-collector';
import { createReadiness } from '../../entrypoints/background/readiness';
import { requestCollector } from '../../entrypoints/background/request-collector';
import { FakeSink, installFakeEvents } from './collectors-fakes';

const POLICIES: Record<string, string> = { 'o2toit.com': 'o2toit.com', 'example-boutique.fr': 'example-boutique.fr' };
const T0 = 1_700_000_000_000;

function cookie(name: string, domain: string) {
  return {
    removed: false,
    cause: 'explicit',
    cookie: { name, domain, path: '/', hostOnly: false, session: false, secure: true, httpOnly: false, value: 'x' },
  };
}

/** Two audited tabs, each with its frames, sharing one attribution, on a clock the test moves. */
function setup() {
  const events = installFakeEvents();
  const sink = new FakeSink();
  const attribution = new CookieAttribution();
  const readiness = createReadiness(Promise.resolve());
  let clock = T0;
  const policyFor = (site: string) => (POLICIES[site] ? { policy: { id: POLICIES[site] } } : undefined);
  const collectors = [
    requestCollector({ sink, policyFor, attribution, readiness }),
    cookieCollector({
      sink,
      attribution,
      readiness,
      isPolicySite: (site) => site in POLICIES,
      now: () => clock,
    }),
  ];
  for (const c of collectors) c.start();
  let id = 0;
  const request = (tabId: number, frameId: number, type: string, url: string, at = clock) =>
    events.beforeRequest.fire({ requestId: String(++id), url, method: 'GET', type, tabId, frameId, timeStamp: at });
  const changed = (name: string, domain: string, at: number) => {
    clock = at;
    events.cookieChanged.fire(cookie(name, domain));
  };
  const cookieTabs = (name: string) =>
    sink.recorded
      .filter((r) => r.observation.kind === 'cookie' && r.observation.name === name)
      .map((r) => r.tabId)
      .sort();
  return { events, sink, attribution, readiness, request, changed, cookieTabs };
}

describe('cookie attribution across tabs and frames', () => {
  beforeEach(() => fakeBrowser.reset());

  it("gives a site's own cookie to the tab auditing that site, and no other", async () => {
    const t = setup();
    t.request(1, 0, 'main_frame', 'https://www.o2toit.com/');
    t.request(2, 0, 'main_frame', 'https://www.example-boutique.fr/');
    await t.readiness.ready;
    t.changed('o2_session', '.o2toit.com', T0 + 5);
    t.changed('cart', 'www.example-boutique.fr', T0 + 6);
    await t.readiness.ready;
    expect(t.cookieTabs('o2_session')).toEqual([1]);
    expect(t.cookieTabs('cart')).toEqual([2]);
  });

  it('gives a third-party frame’s cookie to the tab whose frame talked to that site, for 30 s', async () => {
    const t = setup();
    t.request(1, 0, 'main_frame', 'https://www.o2toit.com/');
    t.request(2, 0, 'main_frame', 'https://www.example-boutique.fr/');
    await t.readiness.ready;
    // Tab 1 embeds a video frame (frame 7) that loads its own script; tab 2 never talks to it.
    t.request(1, 7, 'sub_frame', 'https://www.youtube-nocookie.com/embed/fixture/', T0 + 100);
    t.request(1, 7, 'script', 'https://www.youtube-nocookie.com/player.js', T0 + 200);
    await t.readiness.ready;
    t.changed('VISITOR_INFO1_LIVE', '.youtube-nocookie.com', T0 + 200 + ATTRIBUTION_WINDOW_MS);
    t.changed('YSC', '.youtube-nocookie.com', T0 + 200 + ATTRIBUTION_WINDOW_MS + 1);
    await t.readiness.ready;
    expect(t.cookieTabs('VISITOR_INFO1_LIVE')).toEqual([1]);
    // Past the window, nothing ties the change to a tab: it is not recorded.
    expect(t.cookieTabs('YSC')).toEqual([]);
  });

  it('gives a third party both tabs talked to, to both', async () => {
    const t = setup();
    t.request(1, 0, 'main_frame', 'https://www.o2toit.com/');
    t.request(2, 0, 'main_frame', 'https://www.example-boutique.fr/');
    await t.readiness.ready;
    t.request(1, 0, 'script', 'https://connect.facebook.net/en_US/fbevents.js', T0 + 10);
    t.request(2, 3, 'image', 'https://www.facebook.com/tr?id=1', T0 + 20);
    await t.readiness.ready;
    t.changed('_fbp_frame', '.facebook.net', T0 + 1_000);
    t.changed('fr', '.facebook.com', T0 + 1_000);
    await t.readiness.ready;
    expect(t.cookieTabs('_fbp_frame')).toEqual([1]);
    expect(t.cookieTabs('fr')).toEqual([2]);
    t.request(1, 0, 'image', 'https://www.facebook.com/tr?id=2', T0 + 2_000);
    await t.readiness.ready;
    t.changed('datr', '.facebook.com', T0 + 3_000);
    await t.readiness.ready;
    expect(t.cookieTabs('datr')).toEqual([1, 2]);
  });

  it("ties a Set-Cookie header's cookie to the tab that received it, by name, for 30 s", () => {
    const a = new CookieAttribution();
    const audited = [
      { tabId: 1, site: 'o2toit.com' },
      { tabId: 2, site: 'example-boutique.fr' },
    ];
    a.sawHeaderCookie(2, 'IDE', '.doubleclick.net', T0);
    expect(a.tabsFor('IDE', 'doubleclick.net', T0 + ATTRIBUTION_WINDOW_MS, audited)).toEqual([2]);
    expect(a.tabsFor('OTHER', 'doubleclick.net', T0 + 1, audited)).toEqual([]);
    expect(a.tabsFor('IDE', 'doubleclick.net', T0 + ATTRIBUTION_WINDOW_MS + 1, audited)).toEqual([]);
    a.sawRequest(1, 'doubleclick.net', T0);
    a.forget(1);
    a.forget(2);
    expect(a.tabsFor('IDE', 'doubleclick.net', T0 + 1, audited)).toEqual([]);
  });
});
