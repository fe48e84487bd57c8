import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createConsentService } from '../../entrypoints/background/consent-service';
import {
  awaitAutoconsent,
  currentAutoconsent,
  offerAutoconsent,
  runAutoconsent,
  type AutoconsentPart,
} from '../../entrypoints/consent.content/autoconsent-bridge';
import { runOnce } from '../../entrypoints/consent.content/command-once';
import type { ConsentCommand, ConsentCommandResponse } from '../../lib/messages';

const LOST = 'The message port closed before a response was received.';

/** An autoconsent part that counts what it ran and answers as autoconsent would. */
function part(cmp = 'Didomi') {
  const ran: ConsentCommand[] = [];
  const p: AutoconsentPart = {
    known: () => true,
    run: async (command) => {
      ran.push(command);
      return { ok: true, cmp };
    },
  };
  return { p, ran };
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('the consent script’s two parts meet in the frame', () => {
  beforeEach(() => {
    delete (globalThis as Record<string, unknown>).__consentAuditorAutoconsent;
    fakeBrowser.reset();
  });
  afterEach(() => vi.useRealTimers());

  it('a command that comes before autoconsent waits for it, and runs once it arrives', async () => {
    const { p, ran } = part();
    let answer: ConsentCommandResponse | undefined;
    void runAutoconsent({ type: 'consent-command', action: 'optOut' }, 10_000).then((a) => (answer = a));
    await flush();
    expect(answer).toBeUndefined(); // no autoconsent yet: no answer, no run
    expect(currentAutoconsent()).toBeUndefined();
    offerAutoconsent(p);
    await flush();
    expect(ran.map((c) => c.action)).toEqual(['optOut']);
    expect(answer).toEqual({ ok: true, cmp: 'Didomi' });
  });

  it('a frame autoconsent never reaches answers a failure once the wait is over', async () => {
    vi.useFakeTimers();
    const waiting = runAutoconsent({ type: 'consent-command', action: 'optIn' }, 5_000);
    await vi.advanceTimersByTimeAsync(4_999);
    let settled = false;
    void waiting.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waiting).toEqual({ ok: false, detail: 'autoconsent did not arrive in this frame' });
    // A part arriving later is still found by the next command.
    const { p, ran } = part();
    offerAutoconsent(p);
    expect(await awaitAutoconsent(1)).toBe(p);
    expect(ran).toEqual([]);
  });

  it('the background’s resend of a command whose answer was lost while autoconsent arrived runs it once', async () => {
    const { p, ran } = part('Sirdata');
    const script = runOnce(async (command) => runAutoconsent(command, 10_000));
    const sent: ConsentCommand[] = [];
    const sendToFrame = async (_tabId: number, message: ConsentCommand): Promise<unknown> => {
      sent.push(message);
      const answer = script(message);
      if (sent.length === 1) {
        // autoconsent arrives while the first delivery waits; that delivery's answer is lost
        offerAutoconsent(p);
        await answer;
        throw new Error(LOST);
      }
      return answer;
    };
    const service = createConsentService({
      storage: fakeBrowser.storage.session,
      sendToFrame,
      wait: async () => undefined,
    });
    const answer = await service.command(5, 0, { type: 'consent-command', action: 'optOut' });
    expect(answer).toEqual({ ok: true, cmp: 'Sirdata' });
    expect(sent).toHaveLength(2);
    expect(sent[0]!.id).toBe(sent[1]!.id);
    expect(ran).toHaveLength(1);
  });
});
