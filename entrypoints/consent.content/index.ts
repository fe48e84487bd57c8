import AutoConsent from '@duckduckgo/autoconsent';
import type { ConsentCommand, ConsentCommandResponse, ConsentReport } from '@/lib/messages';
import { send } from '@/components/send';
import { runOnce } from './command-once';
import { watchGestures } from './gestures';
import { snapshotStorage } from './storage-snapshot';

/**
 * Isolated-world consent script. It runs @duckduckgo/autoconsent in detect-only mode (no
 * prehiding, no cosmetic rules, no automatic action), so the audited page is not altered, and
 * reports what it finds; it acts on the banner only when the background commands it (the auditor's
 * "accept"/"refuse", or a scripted audit). It also reports real (isTrusted) user clicks, which a
 * page cannot fake, and snapshots web storage at load and on consent changes.
 */
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  runAt: 'document_start',
  allFrames: true,
  main() {
    const report = async (r: ConsentReport) => {
      const answer = await send({ type: 'consent-report', report: r });
      return answer.ok ? answer.value : undefined;
    };
    const autoconsent = new AutoConsent(async (message) => {
      if (message.type === 'eval') {
        // Eval snippets run in the page world, through the background (scripting.executeScript).
        const answer = await send({
          type: 'autoconsent-eval',
          id: message.id,
          snippetId: String(message.snippetId ?? ''),
        });
        const result = answer.ok ? answer.value : false;
        await autoconsent.receiveMessageCallback({ type: 'evalResp', id: message.id, result });
        return;
      }
      const answer = await report({ kind: 'autoconsent', message: { type: message.type, ...pick(message) } });
      if (message.type === 'init' && answer) await autoconsent.receiveMessageCallback(answer as never);
    });

    watchGestures((gesture) => void report(gesture));
    const snapshot = (reason: 'start' | 'load' | 'consent-change') => {
      const s = snapshotStorage(reason);
      if (s) void report(s);
    };
    // Before any page script: the storage an earlier visit left (the audit's start state).
    if (window === window.top) snapshot('start');
    if (window === window.top) window.addEventListener('load', () => snapshot('load'), { once: true });

    const runCommand = runOnce(run);
    browser.runtime.onMessage.addListener((message: unknown): Promise<ConsentCommandResponse> | undefined => {
      const command = message as ConsentCommand;
      if (!command || command.type !== 'consent-command') return undefined;
      return runCommand(command);
    });

    async function run(command: ConsentCommand): Promise<ConsentCommandResponse> {
      // Detection runs on compact rules, which keep no opt-in steps: the background sends the
      // platform's full rule with the command, and it replaces the compact one.
      if ('rule' in command && command.rule && typeof command.rule === 'object') {
        autoconsent.addDeclarativeCMP(command.rule as never);
        const full = autoconsent.rules.at(-1);
        if (full) autoconsent.foundCmp = full;
      }
      const cmp = autoconsent.foundCmp?.name;
      switch (command.action) {
        case 'optIn':
          return { ok: await autoconsent.doOptIn(), ...(cmp ? { cmp } : {}) };
        case 'optOut':
          return { ok: await autoconsent.doOptOut(), ...(cmp ? { cmp } : {}) };
        case 'selfTest':
          return { ok: await autoconsent.doSelfTest(), ...(cmp ? { cmp } : {}) };
        case 'click': {
          const element = document.querySelector<HTMLElement>(command.selector);
          if (!element) return { ok: false, detail: `no element matches ${command.selector}` };
          element.click();
          return { ok: true, detail: command.selector };
        }
        case 'snapshot':
          snapshot('consent-change');
          return { ok: true };
      }
    }
  },
});

/** The fields of an autoconsent message worth reporting (no DOM, no functions). */
function pick(message: object): { cmp?: string; result?: boolean; url?: string } {
  const m = message as { cmp?: unknown; result?: unknown; url?: unknown };
  return {
    ...(typeof m.cmp === 'string' ? { cmp: m.cmp } : {}),
    ...(typeof m.result === 'boolean' ? { result: m.result } : {}),
    ...(typeof m.url === 'string' ? { url: m.url } : {}),
  };
}
