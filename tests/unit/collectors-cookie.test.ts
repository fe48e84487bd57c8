import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CookieAttribution } from '../../entrypoints/background/cookie-attribution';
import { cookieCollector } from '../../entrypoints/background/cookie-collector';
import { createReadiness } from '../../entrypoints/background/readiness';
import { deferred, FakeSink, installFakeEvents } from './collectors-fakes';

const T0 = 1_700_000_000_000;

function change(name: string, domain: string, value = 'x', removed = false) {
  return {
    removed,
    cause: removed ? 'expired_overwrite' : 'explicit',
    cookie: { name, domain, path: '/', hostOnly: false, session: true, secure: true, httpOnly: false, value },
  };
}

function setup(loading: Promise<unknown> = Promise.resolve()) {
  const events = installFakeEvents();
  const sink = new FakeSink();
  const readiness = createReadiness(loading);
  let clock = T0;
  const collector = cookieCollector({
    sink,
    attribution: new CookieAttribution(),
    readiness,
    isPolicySite: (site) => site === 'o2toit.com',
    now: () => clock,
  });
  collector.start();
  const at = (time: number) => (clock = time);
  return { events, sink, readiness, collector, at };
}

describe('cookie collector', () => {
  beforeEach(() => fakeBrowser.reset());

  it("records a change on the audited site, and reads a consent platform's choice cookie as a decision", async () => {
    const { events, sink, readiness } = setup();
    sink.start(3, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', T0);
    events.cookieChanged.fire(change('tarteaucitron', '.o2toit.com', '!gtag=false!hotjar=false'));
    await readiness.ready;
    expect(sink.of(3).map((o) => [o.kind, o.kind === 'consent' ? o.decision : o.kind === 'cookie' && o.name])).toEqual([
      ['cookie', 'tarteaucitron'],
      ['consent', 'reject'],
    ]);
  });

  it('keeps a change no audit claims yet, and replays it when an audit of its site starts within 15 s', async () => {
    const { events, sink, readiness, at } = setup();
    events.cookieChanged.fire(change('early', 'www.o2toit.com'));
    at(T0 + 1);
    events.cookieChanged.fire(change('late', 'www.o2toit.com'));
    events.cookieChanged.fire(change('elsewhere', 'news.example'));
    await readiness.ready;
    expect(sink.recorded).toEqual([]);
    at(T0 + 15_001);
    sink.start(3, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', T0 + 15_001);
    // `early` waited 15 001 ms: too long to belong to this audit. `late` is replayed with its own time.
    expect(sink.of(3)).toEqual([expect.objectContaining({ kind: 'cookie', name: 'late', time: T0 + 1 })]);
  });

  it('holds changes until the state is loaded', async () => {
    const loading = deferred();
    const { events, sink, readiness } = setup(loading.promise);
    sink.start(3, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', T0);
    events.cookieChanged.fire(change('a', '.o2toit.com'));
    await Promise.resolve();
    expect(sink.recorded).toEqual([]);
    loading.resolve();
    await readiness.ready;
    expect(sink.of(3, 'cookie')).toHaveLength(1);
  });

  it('removes its listener on stop, and replays nothing after', async () => {
    const { events, sink, readiness, collector } = setup();
    events.cookieChanged.fire(change('early', 'www.o2toit.com'));
    await readiness.ready;
    collector.stop();
    expect(events.cookieChanged.hasListeners()).toBe(false);
    sink.start(3, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', T0 + 1);
    events.cookieChanged.fire(change('after', '.o2toit.com'));
    await readiness.ready;
    expect(sink.recorded).toEqual([]);
  });
});
