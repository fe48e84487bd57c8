/**
 * The CNAME resolver's wiring (entrypoints/background/cname-resolver.ts): the request collector
 * hands it each recorded request; the site's own hosts are resolved once per audit, off the
 * listener, and a canonical name that differs is recorded into the audit that asked. Without a
 * `dns` API (Chromium) nothing happens. The engine then attributes the host to the tracker.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { cnameResolver } from '../../entrypoints/background/cname-resolver';
import { CookieAttribution } from '../../entrypoints/background/cookie-attribution';
import { createReadiness } from '../../entrypoints/background/readiness';
import { requestCollector } from '../../entrypoints/background/request-collector';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import { canonicalNames, withCloaking } from '../../lib/knowledge/cloaking';
import type { Observation } from '../../lib/observations';
import { FakeSink, installFakeEvents, o2toitPolicyFor, rawRequests } from './collectors-fakes';

const T0 = 1_700_000_000_000;
const ALIASES: Record<string, string> = {
  'metrics.o2toit.com': 'o2toit.eulerian.net.',
  'www.o2toit.com': 'www.o2toit.com',
};

function setup() {
  const events = installFakeEvents();
  const sink = new FakeSink();
  const resolve = vi.fn(async (host: string, _flags?: string[]) => ({
    canonicalName: ALIASES[host] ?? host,
    addresses: ['127.0.0.1'],
  }));
  (fakeBrowser as unknown as { dns?: unknown }).dns = { resolve };
  const cnames = cnameResolver({ sink });
  requestCollector({
    sink,
    policyFor: o2toitPolicyFor,
    attribution: new CookieAttribution(),
    readiness: createReadiness(Promise.resolve()),
    onRecorded: cnames.saw,
  }).start();
  const request = rawRequests(T0);
  const fire = (tabId: number, type: string, url: string) => events.beforeRequest.fire(request(tabId, type, url));
  const dns = () => sink.recorded.filter((r) => r.observation.kind === 'dns');
  return { sink, resolve, fire, dns };
}

describe('CNAME resolver', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    delete (fakeBrowser as unknown as { dns?: unknown }).dns;
  });

  it('resolves each host of the site once per audit, after the listener, and records a differing canonical name', async () => {
    const { resolve, fire, dns } = setup();
    fire(3, 'main_frame', 'https://www.o2toit.com/');
    fire(3, 'image', 'https://metrics.o2toit.com/col?x=1');
    fire(3, 'image', 'https://metrics.o2toit.com/col?x=2');
    fire(3, 'script', 'https://www.googletagmanager.com/gtag/js?id=G-1');
    // Nothing asked inside the listener.
    expect(resolve).not.toHaveBeenCalled();
    await vi.runAllTimersAsync();
    expect(resolve.mock.calls.map((c) => c[0]).sort()).toEqual(['metrics.o2toit.com', 'www.o2toit.com']);
    expect(resolve.mock.calls.every((c) => (c[1] as string[]).includes('canonical_name'))).toBe(true);
    expect(dns().map((r) => [r.tabId, r.observation])).toEqual([
      [
        3,
        expect.objectContaining({
          kind: 'dns',
          source: 'dns-api',
          host: 'metrics.o2toit.com',
          canonicalName: 'o2toit.eulerian.net',
          topSite: 'o2toit.com',
        }),
      ],
    ]);
  });

  it('asks again in a new audit of the tab, and records nothing into an audit that ended meanwhile', async () => {
    const { resolve, fire, dns } = setup();
    fire(3, 'main_frame', 'https://www.o2toit.com/');
    fire(3, 'image', 'https://metrics.o2toit.com/col');
    fire(3, 'main_frame', 'https://news.example/'); // the audit ends before the answer
    await vi.runAllTimersAsync();
    expect(dns()).toEqual([]);
    fire(3, 'main_frame', 'https://www.o2toit.com/');
    await vi.runAllTimersAsync(); // the navigation starts the new audit
    fire(3, 'image', 'https://metrics.o2toit.com/col');
    await vi.runAllTimersAsync();
    expect(resolve.mock.calls.filter((c) => c[0] === 'metrics.o2toit.com')).toHaveLength(2);
    expect(dns()).toHaveLength(1);
  });

  it('does nothing without a dns API (Chromium)', async () => {
    const { resolve, fire, dns } = setup();
    delete (fakeBrowser as unknown as { dns?: unknown }).dns;
    fire(3, 'main_frame', 'https://www.o2toit.com/');
    fire(3, 'image', 'https://metrics.o2toit.com/col');
    await vi.runAllTimersAsync();
    expect(resolve).not.toHaveBeenCalled();
    expect(dns()).toEqual([]);
  });

  it('feeds the engine: the cloaked host is the tracker, named with its canonical name', async () => {
    const { sink, fire } = setup();
    fire(3, 'main_frame', 'https://www.o2toit.com/');
    fire(3, 'image', 'https://metrics.o2toit.com/col');
    await vi.runAllTimersAsync();
    const observations = sink.recorded.map((r, i) => ({ ...r.observation, seq: i + 1 })) as Observation[];
    const knowledge = withCloaking(createClassifier(builtinKnowledge), canonicalNames(observations));
    const c = knowledge.classifyUrl('https://metrics.o2toit.com/col', { sourceUrl: 'https://www.o2toit.com/' });
    expect(c).toMatchObject({
      vendorId: 'eulerian',
      vendorName: 'Eulerian Analytics (via CNAME cloaking)',
      needsConsent: true,
    });
    expect(c!.matchedBy).toContain('metrics.o2toit.com → o2toit.eulerian.net');
    // The site's own host stays the site's.
    expect(knowledge.classifyUrl('https://www.o2toit.com/', { sourceUrl: 'https://www.o2toit.com/' })).toBeUndefined();
  });
});
