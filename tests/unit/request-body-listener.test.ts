/**
 * Request bodies are read only in tabs under audit: one `requestBody` listener per audited tab,
 * added when its audit starts and removed when it ends, and each request is recorded once whichever
 * listener hears it first.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { valueDigest } from '../../lib/identifiers';
import type { RequestObservation } from '../../lib/observations';
import { requestCollectorRig } from './request-collector-rig';

const T0 = 1_700_000_000_000;
const ID = 'u7f3a9c21d4e8b05';

function setup() {
  const { events, sink, readiness, request } = requestCollectorRig(T0);
  /** Tabs of the listeners that ask for request bodies. */
  const bodyTabs = () =>
    events.beforeRequest.options.flatMap(([filter, spec]) =>
      Array.isArray(spec) && spec.includes('requestBody') ? [(filter as { tabId?: number }).tabId] : [],
    );
  return { events, sink, readiness, request, bodyTabs };
}

describe('request body listener', () => {
  beforeEach(() => fakeBrowser.reset());

  it('exists for tabs under audit only, from the start of their audit to its end', async () => {
    const { events, readiness, request, bodyTabs } = setup();
    expect(bodyTabs()).toEqual([]);
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    events.beforeRequest.fire(request(5, 'main_frame', 'https://news.example/'));
    await readiness.ready;
    expect(bodyTabs()).toEqual([4]);
    events.beforeRequest.fire(request(4, 'main_frame', 'https://news.example/'));
    await readiness.ready;
    expect(bodyTabs()).toEqual([]);
  });

  it('records each request once, a third party’s body as digests only', async () => {
    const { events, sink, readiness, request } = setup();
    events.beforeRequest.fire(request(4, 'main_frame', 'https://www.o2toit.com/'));
    await readiness.ready;
    const body = { formData: { uid: [ID], lang: ['fr'] } };
    const urls = ['https://collect.ad.example/b', 'https://www.o2toit.com/app.js', 'https://collect.ad.example/c'];
    events.beforeRequest.fire(request(4, 'ping', urls[0]!, { method: 'POST', requestBody: body }));
    await readiness.ready;
    events.beforeRequest.fire(request(4, 'script', urls[1]!));
    events.beforeRequest.fire(request(4, 'ping', urls[2]!, { method: 'POST', requestBody: body }));
    await readiness.ready;
    const recorded = sink.of(4, 'request') as RequestObservation[];
    expect(recorded.map((o) => o.url)).toEqual(['https://www.o2toit.com/', ...urls]);
    // The last one was heard by the body listener alone (the tab's listener skips it): its body counted.
    expect(recorded[3]!.carried).toEqual([{ digest: valueDigest(ID), encoding: 'raw', at: 'body form uid' }]);
    expect(JSON.stringify(sink.recorded)).not.toContain(ID);
  });
});
