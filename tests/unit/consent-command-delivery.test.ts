import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createConsentService, RESEND_DELAYS_MS } from '../../entrypoints/background/consent-service';
import { runOnce } from '../../entrypoints/consent.content/command-once';
import type { ConsentCommand, ConsentCommandResponse } from '../../lib/messages';
import { FakeSink } from './collectors-fakes';

const T0 = 1_700_000_000_000;
const NO_RECEIVER = 'Could not establish connection. Receiving end does not exist.';
const SELECTORS = { accept: '#cc-accept', reject: '#cc-refuse' };

/**
 * Frame 0 of tab 5 as the browser delivers to it: `deliveries` says, per attempt, whether the
 * consent script is not there yet ('absent': the browser finds no receiver), only the relay listens
 * ('relay-only': no answer), the script answers, or it runs the command and its answer is lost.
 */
function frame(deliveries: Array<'absent' | 'relay-only' | 'answers' | 'answer-lost'>) {
  const sent: ConsentCommand[] = [];
  const clicks: string[] = [];
  const script = runOnce(async (command): Promise<ConsentCommandResponse> => {
    if (command.action === 'click') clicks.push(command.selector);
    return { ok: true };
  });
  const sendToFrame = async (_tabId: number, message: ConsentCommand): Promise<unknown> => {
    sent.push(message);
    const delivery = deliveries[Math.min(sent.length, deliveries.length) - 1];
    if (delivery === 'absent') throw new Error(NO_RECEIVER);
    if (delivery === 'relay-only') return undefined;
    const answer = await script(message);
    if (delivery === 'answer-lost') throw new Error('The message port closed before a response was received.');
    return answer;
  };
  const waits: number[] = [];
  const service = createConsentService({
    storage: fakeBrowser.storage.session,
    sendToFrame,
    now: () => T0,
    wait: async (ms) => void waits.push(ms),
  });
  return { service, sent, clicks, waits };
}

function auditedSink() {
  const sink = new FakeSink();
  sink.start(5, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/consent/custom.html', T0);
  return sink;
}

const results = (sink: FakeSink) =>
  sink.of(5, 'consent').flatMap((o) => (o.kind === 'consent' && o.event === 'action-result' ? [o.result] : []));

describe('a consent command reaches the frame consent script, once', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is resent until the consent script listens, and the click happens once', async () => {
    const { service, sent, clicks } = frame(['absent', 'relay-only', 'answers']);
    const sink = auditedSink();
    expect(await service.action(5, 'accept', SELECTORS, sink)).toEqual({ ok: true, method: 'selector' });
    const clicksSent = sent.filter((m) => m.action === 'click');
    expect(clicksSent).toHaveLength(3);
    expect(new Set(clicksSent.map((m) => m.id)).size).toBe(1);
    expect(clicks).toEqual(['#cc-accept']);
    expect(results(sink)).toEqual([true]);
  });

  it('a lost answer makes a resend, which the frame answers without clicking again', async () => {
    const { service, clicks } = frame(['answer-lost', 'answers']);
    const sink = auditedSink();
    expect(await service.action(5, 'accept', SELECTORS, sink)).toMatchObject({ ok: true });
    expect(clicks).toEqual(['#cc-accept']);
  });

  it('fails clearly, and undoes the phase, when no consent script ever answers', async () => {
    const { service, sent, waits } = frame(['absent']);
    const sink = auditedSink();
    const response = await service.action(5, 'accept', SELECTORS, sink);
    expect(response).toEqual({ ok: false, error: expect.stringMatching(/no consent script in that frame/) });
    expect(sent).toHaveLength(RESEND_DELAYS_MS.length + 1);
    expect(waits).toEqual(RESEND_DELAYS_MS);
    expect(results(sink)).toEqual([false]);
  });

  it("takes the script's own failure as final", async () => {
    const sent: ConsentCommand[] = [];
    const service = createConsentService({
      storage: fakeBrowser.storage.session,
      sendToFrame: async (_t, message) => {
        sent.push(message);
        return { ok: false, detail: 'no element matches #cc-accept' };
      },
      now: () => T0,
      wait: async () => undefined,
    });
    const response = await service.action(5, 'accept', SELECTORS, auditedSink());
    expect(response).toEqual({ ok: false, error: expect.stringMatching(/no element matches #cc-accept/) });
    expect(sent).toHaveLength(1);
  });
});
