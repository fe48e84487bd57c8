import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CookieAttribution } from '../../entrypoints/background/cookie-attribution';
import { createReadiness } from '../../entrypoints/background/readiness';
import { requestCollector } from '../../entrypoints/background/request-collector';
import { deferred, FakeSink, installFakeEvents, o2toitPolicyFor, rawRequests } from './collectors-fakes';

const T0 = 1_700_000_000_000;

function setup(loading: Promise<unknown> = Promise.resolve()) {
  const events = installFakeEvents();
  const sink = new FakeSink();
  const attribution = new CookieAttribution();
  const readiness = createReadiness(loading);
  const collector = requestCollector({ sink, policyFor: o2toitPolicyFor, attribution, readiness });
  collector.start();
  const request = rawRequests(T0);
  return { events, sink, attribution, readiness, collector, request };
}

describe('request collector', () => {
  beforeEach(() => fakeBrowser.reset());

  it('starts an audit on navigation to a site with a policy, records its requests, and ends it elsewhere', async () => {
    const { events, sink, readiness, request } = setup();
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    events.beforeRequest.fire(request(4, 'script', 'https://www.googletagmanager.com/gtag/js?id=G-1'));
    events.beforeRequest.fire(request(-1, 'xmlhttprequest', 'https://update.example/'));
    events.beforeRequest.fire(request(5, 'main_frame', 'https://news.example/'));
    events.beforeRequest.fire(request(5, 'script', 'https://www.googletagmanager.com/gtag/js?id=G-2'));
    await readiness.ready;
    const audit = sink.auditOf(4)!;
    expect(audit).toMatchObject({ site: 'o2toit.com', policyId: 'o2toit.com', url: 'https://www.o2toit.com/' });
    expect(sink.of(4, 'request').map((o) => (o as { url: string }).url)).toEqual([
      'https://www.o2toit.com/',
      'https://www.googletagmanager.com/gtag/js?id=G-1',
    ]);
    expect(sink.auditOf(5)).toBeUndefined();
    expect(sink.recorded.filter((r) => r.tabId !== 4)).toEqual([]);
    events.beforeRequest.fire(request(4, 'main_frame', 'https://news.example/'));
    await readiness.ready;
    expect(sink.auditOf(4)).toBeUndefined();
    expect(sink.metas.get(audit.auditId)!.endedAt).toBeDefined();
  });

  it('keeps the audit across same-site pages, and tells the attribution which sites each tab talked to', async () => {
    const { events, sink, attribution, readiness, request } = setup();
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    await readiness.ready;
    const first = sink.auditOf(4)!.auditId;
    events.beforeRequest.fire(request(4, 'main_frame', 'https://o2toit.com/contact.html'));
    events.beforeRequest.fire(request(4, 'image', 'https://www.facebook.com/tr?id=1'));
    await readiness.ready;
    expect(sink.auditOf(4)!.auditId).toBe(first);
    expect(attribution.tabsFor('fr', '.facebook.com', T0 + 10, [{ tabId: 4, site: 'o2toit.com' }])).toEqual([4]);
  });

  it('records Set-Cookie headers of audited tabs, and notes a broken one', async () => {
    const { events, sink, readiness, request } = setup();
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    await readiness.ready;
    events.headersReceived.fire(
      request(4, 'script', 'https://www.o2toit.com/a.js', {
        responseHeaders: [
          { name: 'Set-Cookie', value: 'pref=1; Max-Age=3600; Path=/' },
          { name: 'Set-Cookie', value: '=novalue' },
        ],
      }),
    );
    events.headersReceived.fire(
      request(9, 'script', 'https://www.o2toit.com/b.js', {
        responseHeaders: [{ name: 'Set-Cookie', value: 'other=1' }],
      }),
    );
    await readiness.ready;
    expect(sink.of(4, 'cookie')).toEqual([
      expect.objectContaining({ name: 'pref', via: 'set-cookie-header', tabId: 4, topSite: 'o2toit.com' }),
    ]);
    expect(sink.notes).toEqual([
      { tabId: 4, message: expect.stringMatching(/^Set-Cookie from https:\/\/www\.o2toit\.com\/a\.js/) },
    ]);
    expect(sink.of(9)).toEqual([]);
  });

  it("records a landing document's Set-Cookie headers when its events come in the same task as its navigation", async () => {
    // Firefox can run the header listener before the navigation's (promised) work has started the audit.
    const { events, sink, readiness, request } = setup();
    await readiness.ready;
    const landing = request(4, 'main_frame', 'https://www.o2toit.com/');
    events.beforeRequest.fire(landing);
    events.headersReceived.fire({
      ...landing,
      responseHeaders: [{ name: 'Set-Cookie', value: 'o2_visitor=v1; Max-Age=63072000; Path=/' }],
    });
    events.headersReceived.fire(
      request(5, 'main_frame', 'https://news.example/', { responseHeaders: [{ name: 'Set-Cookie', value: 'n=1' }] }),
    );
    await readiness.ready;
    await Promise.resolve();
    expect(sink.of(4, 'cookie')).toEqual([
      expect.objectContaining({
        name: 'o2_visitor',
        via: 'set-cookie-header',
        requestedExpiry: landing.timeStamp + 63_072_000_000,
      }),
    ]);
    expect(sink.of(5)).toEqual([]);
  });

  it('holds events that arrive before the state is loaded, and records them once it is', async () => {
    const loading = deferred();
    const { events, sink, readiness, request } = setup(loading.promise);
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    events.beforeRequest.fire(request(4, 'script', 'https://www.o2toit.com/app.js'));
    await Promise.resolve();
    expect(readiness.isReady()).toBe(false);
    expect(sink.recorded).toEqual([]);
    loading.resolve();
    await readiness.ready;
    expect(sink.of(4, 'request')).toHaveLength(2);
  });

  it('asks Chrome for extraHeaders only where the browser has the option', async () => {
    Object.assign(fakeBrowser.webRequest, { OnHeadersReceivedOptions: { EXTRA_HEADERS: 'extraHeaders' } });
    const chrome = setup();
    chrome.events.beforeRequest.fire(chrome.request(4, 'main_frame', 'https://www.o2toit.com/'));
    await chrome.readiness.ready;
    expect(chrome.events.headersReceived.options).toEqual([
      [{ urls: ['<all_urls>'], types: ['main_frame'] }, ['responseHeaders', 'extraHeaders']],
      [{ urls: ['<all_urls>'], tabId: 4 }, ['responseHeaders', 'extraHeaders']],
    ]);
    delete (fakeBrowser.webRequest as { OnHeadersReceivedOptions?: unknown }).OnHeadersReceivedOptions;
    const firefox = setup();
    await firefox.readiness.ready;
    expect(firefox.events.headersReceived.options).toEqual([
      [{ urls: ['<all_urls>'], types: ['main_frame'] }, ['responseHeaders']],
    ]);
  });

  it('asks for the headers of tabs under audit only, from the start of their audit to its end', async () => {
    const { events, sink, readiness, request } = setup();
    const tabFilters = () =>
      events.headersReceived.options.flatMap(([filter]) => {
        const tabId = (filter as { tabId?: number }).tabId;
        return tabId === undefined ? [] : [tabId];
      });
    const cookie = (tabId: number, type: string, url: string, name: string) =>
      request(tabId, type, url, { responseHeaders: [{ name: 'Set-Cookie', value: `${name}=1; Max-Age=60` }] });
    expect(tabFilters()).toEqual([]);
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    // The document's own Set-Cookie comes through the listener of every tab, before the tab's own exists.
    events.headersReceived.fire(cookie(4, 'main_frame', 'https://www.o2toit.com/', 'doc'));
    events.beforeRequest.fire(request(5, 'main_frame', 'https://news.example/'));
    await readiness.ready;
    expect(tabFilters()).toEqual([4]);
    events.headersReceived.fire(cookie(4, 'script', 'https://tracker.example/t.js', 'third'));
    events.headersReceived.fire(cookie(5, 'script', 'https://tracker.example/t.js', 'elsewhere'));
    events.headersReceived.fire(cookie(4, 'main_frame', 'https://www.o2toit.com/', 'again'));
    await readiness.ready;
    // Each header once: the tab's listener leaves documents to the listener of every tab.
    expect(sink.of(4, 'cookie').map((o) => (o as { name: string }).name)).toEqual(['doc', 'third', 'again']);
    expect(sink.of(5)).toEqual([]);
    events.beforeRequest.fire(request(4, 'main_frame', 'https://news.example/'));
    await readiness.ready;
    expect(tabFilters()).toEqual([]);
  });

  it('hears every response while a restarted worker loads its state, then only the audits still open', async () => {
    const loading = deferred();
    const events = installFakeEvents();
    const sink = new FakeSink();
    sink.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', T0); // the persisted index
    const readiness = createReadiness(loading.promise);
    const policyFor = () => ({ policy: { id: 'o2toit.com' } });
    requestCollector({ sink, policyFor, attribution: new CookieAttribution(), readiness }).start();
    const filters = () => events.headersReceived.options.map(([f]) => f);
    expect(filters()).toEqual([{ urls: ['<all_urls>'], types: ['main_frame'] }, { urls: ['<all_urls>'] }]);
    // The first sub-resources of a page in the audited tab, before the state is loaded; and another tab's.
    const header = (tabId: number, name: string) => ({
      requestId: name,
      url: 'https://ads.example/pixel',
      method: 'GET',
      type: 'image',
      tabId,
      frameId: 0,
      timeStamp: T0 + 5,
      responseHeaders: [{ name: 'Set-Cookie', value: `${name}=1; Max-Age=60` }],
    });
    events.headersReceived.fire(header(7, 'early'));
    events.headersReceived.fire(header(8, 'elsewhere'));
    loading.resolve();
    await readiness.ready;
    await Promise.resolve();
    expect(filters()).toEqual([
      { urls: ['<all_urls>'], types: ['main_frame'] },
      { urls: ['<all_urls>'], tabId: 7 },
    ]);
    events.headersReceived.fire(header(7, 'later'));
    await readiness.ready;
    expect(sink.of(7, 'cookie').map((o) => (o as { name: string }).name)).toEqual(['early', 'later']);
    expect(sink.of(8)).toEqual([]);
  });

  it('removes its listeners on stop, and records nothing after', async () => {
    const { events, sink, readiness, collector, request } = setup();
    expect(events.beforeRequest.hasListeners() && events.headersReceived.hasListeners()).toBe(true);
    collector.stop();
    expect(events.beforeRequest.hasListeners() || events.headersReceived.hasListeners()).toBe(false);
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    await readiness.ready;
    expect(sink.audits()).toEqual([]);
  });
});
