import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fullRule } from '../../entrypoints/background/autoconsent-config';
import { BANNER_FRAMES_KEY, createConsentService } from '../../entrypoints/background/consent-service';
import { createReadiness } from '../../entrypoints/background/readiness';
import { tabEnds } from '../../entrypoints/background/tab-ends';
import type { ConsentCommand } from '../../lib/messages';
import { FakeSink } from './collectors-fakes';

const T0 = 1_700_000_000_000;
const CMP = 'tarteaucitron.js';

/** A worker's service over the browser's session storage, whose frames answer every command. */
function worker() {
  const sent: Array<{ tabId: number; frameId: number; message: ConsentCommand }> = [];
  const service = createConsentService({
    storage: fakeBrowser.storage.session,
    sendToFrame: async (tabId, message, frameId) => {
      sent.push({ tabId, frameId, message });
      return { ok: true };
    },
    now: () => T0,
  });
  return { service, sent };
}

const banner = (frameId: number) =>
  [
    { kind: 'autoconsent', message: { type: 'popupFound', cmp: CMP } },
    { tab: { id: 5 }, frameId },
  ] as const;

function auditedSink() {
  const sink = new FakeSink();
  sink.start(5, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/consent/', T0);
  return sink;
}

describe('consent service across a worker restart', () => {
  beforeEach(() => fakeBrowser.reset());

  it('commands the banner frame a previous worker saw, and records the decision first', async () => {
    const first = worker();
    const sink = auditedSink();
    first.service.onReport(...banner(3), sink);
    expect(sink.of(5, 'consent')).toEqual([expect.objectContaining({ event: 'banner-shown', frameId: 3 })]);
    await first.service.persisted();
    expect(await fakeBrowser.storage.session.get(BANNER_FRAMES_KEY)).toEqual({
      [BANNER_FRAMES_KEY]: { 5: { frameId: 3, cmp: CMP } },
    });

    // The worker stops; a new one starts with nothing in memory but what session storage kept.
    const second = worker();
    const response = await second.service.action(5, 'reject', undefined, sink);
    expect(response).toEqual({ ok: true, method: 'autoconsent', platform: CMP, selfTest: true });
    expect(second.sent.map(({ frameId, message }) => [frameId, message.action])).toEqual([
      [3, 'optOut'],
      [3, 'selfTest'],
      [0, 'snapshot'],
    ]);
    expect(second.sent[0]!.message).toMatchObject({ rule: fullRule(CMP) });
    const decisions = sink.of(5, 'consent').slice(1);
    expect(decisions.map((o) => o.kind === 'consent' && [o.event, o.decision, o.trusted])).toEqual([
      ['decision', 'reject', true],
      ['action-result', 'reject', true],
    ]);
  });

  it('runs no self-test for a rule that has none (a frame rule whose frame the page removes)', async () => {
    const sent: Array<[number, string]> = [];
    let gone = false;
    const service = createConsentService({
      storage: fakeBrowser.storage.session,
      // Sourcepoint's notice frame: its wrapper removes the frame once the choice is posted to it.
      sendToFrame: async (_tabId, message, frameId) => {
        sent.push([frameId, message.action]);
        if (frameId === 0) return { ok: true };
        if (gone) throw new Error('Could not establish connection. Receiving end does not exist.');
        gone = true;
        return { ok: true, cmp: 'Sourcepoint-frame', selfTestable: false };
      },
      now: () => T0,
      wait: async () => undefined,
    });
    const sink = auditedSink();
    service.onReport(
      { kind: 'autoconsent', message: { type: 'popupFound', cmp: 'Sourcepoint-frame' } },
      { tab: { id: 5 }, frameId: 6 },
      sink,
    );
    const response = await service.action(5, 'reject', undefined, sink);
    expect(response).toEqual({ ok: true, method: 'autoconsent', platform: 'Sourcepoint-frame' });
    expect(sent).toEqual([
      [6, 'optOut'],
      [0, 'snapshot'],
    ]);
    const results = sink.of(5, 'consent').filter((o) => o.kind === 'consent' && o.event === 'action-result');
    expect(results.map((o) => o.kind === 'consent' && [o.frameId, o.result])).toEqual([[6, true]]);
  });

  it('keeps the newest banner of a tab', async () => {
    const first = worker();
    const sink = auditedSink();
    first.service.onReport(...banner(3), sink);
    first.service.onReport(...banner(8), sink);
    await first.service.persisted();
    const second = worker();
    await second.service.restored;
    expect(second.service.bannerFrame(5)).toEqual({ frameId: 8, cmp: CMP });
  });

  it('forgets the banner of a closed tab, in this worker and the next', async () => {
    const first = worker();
    const sink = auditedSink();
    first.service.onReport(...banner(3), sink);
    await first.service.persisted();
    const forget = vi.fn((tabId: number) => first.service.forgetTab(tabId));
    const ends = tabEnds({ sink, readiness: createReadiness(Promise.resolve()), forget: [forget] });
    ends.start();
    // The browser closes the tab (fakeBrowser.tabs.remove looks its window up by the tab's id).
    await fakeBrowser.tabs.onRemoved.trigger(5, { isWindowClosing: false, windowId: 1 });
    await vi.waitFor(() => expect(forget).toHaveBeenCalledWith(5));
    expect(sink.auditOf(5)).toBeUndefined();
    await first.service.persisted();
    expect(first.service.bannerFrame(5)).toBeUndefined();
    const second = worker();
    await second.service.restored;
    expect(second.service.bannerFrame(5)).toBeUndefined();
    ends.stop();
    expect(fakeBrowser.tabs.onRemoved.hasListeners()).toBe(false);
  });

  it('says so when no banner was seen and no selector is given', async () => {
    const { service, sent } = worker();
    expect(await service.action(5, 'accept', undefined, auditedSink())).toEqual({
      ok: false,
      error: expect.stringMatching(/no consent banner was detected/),
    });
    expect(sent).toEqual([]);
  });
});
