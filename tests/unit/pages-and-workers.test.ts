import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CommittedDocuments, historyPage } from '../../lib/collectors/navigation';
import { requestCollectorRig } from './request-collector-rig';

const T0 = 1_700_000_000_000;
const nav = (extra: object) => ({ tabId: 4, frameId: 0, url: 'https://www.o2toit.com/a', timeStamp: T0, ...extra });

describe('navigation pages', () => {
  it('a history-API navigation of the shown top frame is a page; a frame or a prerender is not', () => {
    expect(historyPage(nav({}), 'o2toit.com')).toMatchObject({
      kind: 'page',
      navigation: 'history',
      source: 'webNavigation',
    });
    expect(historyPage(nav({ frameId: 3 }), 'o2toit.com')).toBeUndefined();
    expect(historyPage(nav({ frameId: 7, documentLifecycle: 'prerender' }), 'o2toit.com')).toBeUndefined();
  });

  it('a second commit of a document is its prerender activation or its back/forward-cache restore', () => {
    const docs = new CommittedDocuments();
    const active = { documentLifecycle: 'active', frameType: 'outermost_frame' };
    expect(docs.committed(nav({ ...active, documentId: 'A' }), 'o2toit.com')).toBeUndefined();
    expect(
      docs.committed(
        nav({ documentLifecycle: 'prerender', frameType: 'outermost_frame', frameId: 9, documentId: 'P' }),
        'o2toit.com',
      ),
    ).toBeUndefined();
    expect(
      docs.committed(nav({ ...active, documentId: 'P', url: 'https://www.o2toit.com/p' }), 'o2toit.com'),
    ).toMatchObject({
      navigation: 'prerender-activation',
      documentId: 'P',
      url: 'https://www.o2toit.com/p',
    });
    expect(docs.committed(nav({ ...active, documentId: 'A' }), 'o2toit.com')).toMatchObject({
      navigation: 'back-forward-cache',
    });
    // A new document is a new page load, seen by its own request: no record.
    expect(docs.committed(nav({ ...active, documentId: 'B' }), 'o2toit.com')).toBeUndefined();
    docs.forget(4);
    expect(docs.committed(nav({ ...active, documentId: 'A' }), 'o2toit.com')).toBeUndefined();
  });
});

describe('request collector: service workers and prerender', () => {
  beforeEach(() => fakeBrowser.reset());

  function setup() {
    const { events, sink, readiness, request } = requestCollectorRig(T0);
    return { events, sink, readiness, request };
  }

  it("records a worker's request (tab -1) in the audit of the site that registered it, and nothing else", async () => {
    const { events, sink, readiness, request } = setup();
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    const pixel = 'https://www.facebook.com/tr?id=1&ev=Install';
    events.beforeRequest.fire(request(-1, 'xmlhttprequest', pixel, { initiator: 'https://www.o2toit.com' }));
    events.beforeRequest.fire(
      request(-1, 'xmlhttprequest', `${pixel}&ff=1`, { originUrl: 'https://www.o2toit.com/sw.js' }),
    );
    events.beforeRequest.fire(request(-1, 'xmlhttprequest', `${pixel}&other=1`, { initiator: 'https://news.example' }));
    events.beforeRequest.fire(request(-1, 'other', 'https://update.example/', { initiator: 'chrome-extension://abc' }));
    await readiness.ready;
    await Promise.resolve();
    const recorded = sink.of(4, 'request') as Array<{ url: string; fromServiceWorker?: boolean; tabId: number }>;
    expect(recorded.map((o) => [o.url, o.fromServiceWorker, o.tabId])).toEqual([
      ['https://www.o2toit.com/', undefined, 4],
      [pixel, true, 4],
      [`${pixel}&ff=1`, true, 4],
    ]);
    expect(sink.recorded.filter((r) => r.tabId !== 4)).toEqual([]);
  });

  it("a prerendered page's document request is no navigation: the audit goes on, the request is marked", async () => {
    const { events, sink, readiness, request } = setup();
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    events.beforeRequest.fire(
      request(4, 'main_frame', 'https://news.example/', { documentLifecycle: 'prerender', frameId: 8 }),
    );
    events.beforeRequest.fire(
      request(4, 'image', 'https://www.facebook.com/tr?id=1', {
        documentLifecycle: 'prerender',
        documentId: 'D',
        frameId: 8,
      }),
    );
    // The document fetched ahead for it, by the current page (it carries that page's documentId).
    events.beforeRequest.fire(
      request(4, 'main_frame', 'https://other.example/', { documentLifecycle: 'active', documentId: 'CUR' }),
    );
    await readiness.ready;
    await Promise.resolve();
    expect(sink.auditOf(4)?.site).toBe('o2toit.com');
    const recorded = sink.of(4, 'request') as Array<{ url: string; prerendered?: string }>;
    expect(recorded.map((o) => o.prerendered)).toEqual([undefined, 'document', 'D', 'document']);
  });
});
