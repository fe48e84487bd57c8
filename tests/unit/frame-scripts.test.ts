import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { FRAME_HOSTS_KEY, frameScripts } from '../../entrypoints/background/frame-scripts';
import { createReadiness } from '../../entrypoints/background/readiness';
import { frameMatches, reportUrl } from '../../lib/collectors/frame-hosts';
import { deferred, FakeSink, installFakeEvents } from './collectors-fakes';

const VIDEO = 'https://www.youtube-nocookie.com/embed/frames';
const isPolicySite = (site: string) => site === 'o2toit.com' || site === 'example-boutique.fr';

/** The scripting API as the browser keeps it: registrations by id, each call logged. */
function fakeScripting(landing?: Promise<void>) {
  let registered: Array<{ id: string; matches: string[]; world?: string; allFrames?: boolean; runAt?: string }> = [];
  const calls: string[] = [];
  /** The frames of each tab: their host, and whether our relay runs in them. */
  const frames = new Map<number, Array<{ frameId: number; host: string; relay: boolean }>>();
  Object.assign(fakeBrowser.scripting, {
    executeScript: async (i: {
      target: { tabId: number; allFrames?: boolean; frameIds?: number[] };
      files?: string[];
      world?: string;
    }) => {
      const list = (frames.get(i.target.tabId) ?? []).filter(
        (f) => i.target.allFrames || i.target.frameIds?.includes(f.frameId),
      );
      if (i.files) {
        calls.push(
          `inject ${i.files.join(' ')}${i.world ? ` ${i.world}` : ''} into ${list.map((f) => f.frameId).join(' ')}`,
        );
        return list.map((f) => ({ frameId: f.frameId }));
      }
      // The probe: late when no relay runs in a frame that is not the top one.
      return list.map((f) => ({ frameId: f.frameId, result: { host: f.host, late: !f.relay && f.frameId !== 0 } }));
    },
    getRegisteredContentScripts: async ({ ids }: { ids: string[] }) => registered.filter((s) => ids.includes(s.id)),
    registerContentScripts: async (scripts: typeof registered) => {
      calls.push(`register ${scripts[0]!.matches.join(' ')}`);
      await landing;
      registered = [...registered, ...scripts];
    },
    updateContentScripts: async (scripts: Array<{ id: string; matches: string[] }>) => {
      calls.push(`update ${scripts[0]!.matches.join(' ')}`);
      await landing;
      registered = registered.map((r) => ({ ...r, ...scripts.find((s) => s.id === r.id) }));
    },
    unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
      calls.push('unregister');
      registered = registered.filter((s) => !ids.includes(s.id));
    },
  });
  return { calls, frames, registered: () => registered };
}

function setup(landing?: Promise<void>) {
  const events = installFakeEvents();
  // The listeners as added, to call the blocking one as the browser would and read its answer.
  const listeners: Array<{ listener: (details: unknown) => unknown; options: unknown[] }> = [];
  const add = events.beforeRequest.addListener;
  events.beforeRequest.addListener = (listener, ...options) => {
    listeners.push({ listener, options });
    add(listener, ...options);
  };
  const sink = new FakeSink();
  const readiness = createReadiness(Promise.resolve());
  const scripting = fakeScripting(landing);
  const frames = frameScripts({ sink, readiness, isPolicySite, storage: fakeBrowser.storage.session });
  frames.start();
  const request = (tabId: number, type: string, url: string) => ({
    tabId,
    type,
    url,
    frameId: type === 'sub_frame' ? 3 : 0,
  });
  return { events, sink, readiness, scripting, frames, request, listeners };
}

describe('frame hosts', () => {
  it('match every framed host once, sorted, except the sites a policy covers', () => {
    expect(
      frameMatches(
        {
          4: { auditId: 'a', hosts: ['www.youtube-nocookie.com', 'client.crisp.chat'] },
          5: { auditId: 'b', hosts: ['client.crisp.chat', 'static.example-boutique.fr', ''] },
        },
        isPolicySite,
      ),
    ).toEqual(['*://client.crisp.chat/*', '*://www.youtube-nocookie.com/*']);
  });

  it("keep a page report's URL within the origin of the frame the browser names", () => {
    // A YouTube frame claiming to be the audited site is recorded as the YouTube frame.
    expect(reportUrl('https://www.o2toit.com/', VIDEO)).toBe(VIDEO);
    expect(reportUrl('https://www.youtube-nocookie.com/embed/frames?t=1', VIDEO)).toBe(
      'https://www.youtube-nocookie.com/embed/frames?t=1',
    );
    expect(reportUrl('not a url', VIDEO)).toBe(VIDEO);
    // about:blank and srcdoc frames have no URL of their own to check against.
    expect(reportUrl('https://www.o2toit.com/', 'about:blank')).toBe('https://www.o2toit.com/');
    expect(reportUrl('https://www.o2toit.com/', undefined)).toBe('https://www.o2toit.com/');
  });
});

describe('frame scripts', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.unstubAllEnvs());

  it("registers the site's scripts for a cross-site frame host of an audited tab, in every frame, autoconsent at document_idle", async () => {
    const { events, sink, scripting, frames, request } = setup();
    sink.start(4, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1);
    events.beforeRequest.fire(request(4, 'sub_frame', VIDEO));
    events.beforeRequest.fire(request(4, 'sub_frame', `${VIDEO}?again`));
    // Frames of the audited site itself, and of another policy's site, have the site's own registration.
    events.beforeRequest.fire(request(4, 'sub_frame', 'https://static.o2toit.com/frame'));
    events.beforeRequest.fire(request(4, 'sub_frame', 'https://www.example-boutique.fr/widget'));
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    const registered = scripting.registered();
    expect(registered.map((s) => [s.id, s.world ?? 'ISOLATED', s.allFrames, s.runAt])).toEqual([
      ['consent-auditor-frame-page-hook', 'MAIN', true, 'document_start'],
      ['consent-auditor-frame-relay', 'ISOLATED', true, 'document_start'],
      ['consent-auditor-frame-consent', 'ISOLATED', true, 'document_start'],
      ['consent-auditor-frame-autoconsent', 'ISOLATED', true, 'document_idle'],
    ]);
    for (const s of registered) expect(s.matches).toEqual(['*://www.youtube-nocookie.com/*']);
    expect(scripting.calls).toEqual(['register *://www.youtube-nocookie.com/*']);
    // Kept for the next worker: the registrations outlive it.
    const stored = await fakeBrowser.storage.session.get(FRAME_HOSTS_KEY);
    expect(stored[FRAME_HOSTS_KEY]).toEqual({
      4: { auditId: sink.auditOf(4)!.auditId, hosts: ['www.youtube-nocookie.com'] },
    });
  });

  it('adds the scripts to a frame of the new host that loaded before its registration landed, and to no other', async () => {
    const { events, sink, scripting, frames, request } = setup();
    scripting.frames.set(4, [
      { frameId: 0, host: 'www.o2toit.com', relay: true },
      { frameId: 3, host: 'www.youtube-nocookie.com', relay: false }, // committed first: nothing runs there
      { frameId: 5, host: 'www.youtube-nocookie.com', relay: true }, // the registration was in time
      { frameId: 6, host: 'ads.example', relay: false }, // a host not framed through this request
    ]);
    sink.start(4, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1);
    events.beforeRequest.fire(request(4, 'sub_frame', VIDEO));
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    expect(scripting.calls).toEqual([
      'register *://www.youtube-nocookie.com/*',
      'inject /content-scripts/relay.js /content-scripts/consent.js /content-scripts/autoconsent.js into 3',
      'inject /content-scripts/page-hook.js MAIN into 3',
    ]);
  });

  it('catches up a host seen during a registration only once its own registration landed, with no gap for the first', async () => {
    const landing = deferred();
    const { events, sink, scripting, frames, request } = setup(landing.promise);
    scripting.frames.set(4, [
      { frameId: 3, host: 'www.youtube-nocookie.com', relay: false },
      { frameId: 4, host: 'client.crisp.chat', relay: false },
    ]);
    sink.start(4, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1);
    events.beforeRequest.fire(request(4, 'sub_frame', VIDEO));
    await new Promise((r) => setTimeout(r, 0));
    events.beforeRequest.fire(request(4, 'sub_frame', 'https://client.crisp.chat/frame/chat.html'));
    landing.resolve();
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    expect(scripting.calls).toEqual([
      'register *://www.youtube-nocookie.com/*',
      'inject /content-scripts/relay.js /content-scripts/consent.js /content-scripts/autoconsent.js into 3',
      'inject /content-scripts/page-hook.js MAIN into 3',
      // The first host stays registered while the second joins: no unregister in between.
      'update *://client.crisp.chat/* *://www.youtube-nocookie.com/*',
      'inject /content-scripts/relay.js /content-scripts/consent.js /content-scripts/autoconsent.js into 4',
      'inject /content-scripts/page-hook.js MAIN into 4',
    ]);
  });

  it('costs a tab not under audit nothing, and drops the hosts of an audit that ended', async () => {
    const { events, sink, scripting, frames, request } = setup();
    events.beforeRequest.fire(request(7, 'sub_frame', VIDEO));
    events.beforeRequest.fire(request(7, 'main_frame', 'https://news.example/'));
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    expect(scripting.calls).toEqual([]);

    sink.start(4, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1);
    events.beforeRequest.fire(request(4, 'sub_frame', VIDEO));
    events.beforeRequest.fire(request(4, 'sub_frame', 'https://client.crisp.chat/frame/chat.html'));
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    expect(scripting.registered()[0]!.matches).toEqual(['*://client.crisp.chat/*', '*://www.youtube-nocookie.com/*']);
    // The tab leaves the audited site: the request collector ends its audit, the next document prunes.
    sink.end(4, 2);
    events.beforeRequest.fire(request(4, 'main_frame', 'https://news.example/'));
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    expect(scripting.registered()).toEqual([]);
    // A closed tab's hosts go too.
    sink.start(5, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 3);
    events.beforeRequest.fire(request(5, 'sub_frame', VIDEO));
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    expect(scripting.registered()).toHaveLength(4);
    sink.end(5, 4);
    frames.forget(5);
    await frames.applied();
    expect(scripting.registered()).toEqual([]);
  });

  it('stores the hosts only when they changed, not on every page load of an audited tab', async () => {
    const { events, sink, frames, request } = setup();
    await frames.applied();
    const set = vi.spyOn(fakeBrowser.storage.session, 'set');
    sink.start(4, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1);
    events.beforeRequest.fire(request(4, 'sub_frame', VIDEO));
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    expect(set).toHaveBeenCalledTimes(1);
    for (const page of ['/', '/contact', '/']) {
      events.beforeRequest.fire(request(4, 'main_frame', `https://www.o2toit.com${page}`));
      events.beforeRequest.fire(request(4, 'sub_frame', VIDEO)); // a host it has already
      await new Promise((r) => setTimeout(r, 0));
      await frames.applied();
    }
    expect(set).toHaveBeenCalledTimes(1);
    // A new host is news again, and an ended audit's hosts are dropped from the stored copy.
    events.beforeRequest.fire(request(4, 'sub_frame', 'https://client.crisp.chat/frame/chat.html'));
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    sink.end(4, 2);
    events.beforeRequest.fire(request(4, 'main_frame', 'https://news.example/'));
    await new Promise((r) => setTimeout(r, 0));
    await frames.applied();
    expect(set).toHaveBeenCalledTimes(3);
    expect((await fakeBrowser.storage.session.get(FRAME_HOSTS_KEY))[FRAME_HOSTS_KEY]).toEqual({});
  });

  it('in Firefox, holds a new frame host until its scripts are registered', async () => {
    vi.stubEnv('FIREFOX', true as never);
    const landing = deferred();
    const { sink, scripting, listeners, request, readiness, events, frames } = setup(landing.promise);
    await readiness.ready;
    const blockers = () =>
      listeners.filter(
        (l) =>
          (l.options[1] as string[] | undefined)?.includes('blocking') &&
          events.beforeRequest.hasListener(l.listener as never),
      );
    // No audit, no blocking listener: a frame of a tab not under audit never waits for the worker.
    expect(blockers()).toEqual([]);
    sink.start(4, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1);
    expect(blockers().map((l) => l.options[0])).toEqual([{ urls: ['<all_urls>'], types: ['sub_frame'], tabId: 4 }]);
    const blocking = blockers()[0];
    const answers: unknown[] = [];
    const pending = blocking!.listener(request(4, 'sub_frame', VIDEO)) as Promise<unknown>;
    void pending.then((a) => answers.push(a));
    await new Promise((r) => setTimeout(r, 20));
    expect(scripting.calls).toEqual(['register *://www.youtube-nocookie.com/*']);
    expect(answers).toEqual([]); // the frame's request still waits for its registration
    landing.resolve();
    await pending;
    expect(answers).toEqual([{}]);
    expect(scripting.registered()).toHaveLength(4);
    // The audit ends (the tab closed): its blocking listener goes.
    sink.end(4, 2);
    frames.forget(4);
    expect(blockers()).toEqual([]);
  });
});
