import AutoConsent from '@duckduckgo/autoconsent';
import type { ConsentCommand, ConsentCommandResponse, ConsentReport } from '@/lib/messages';
import { contentSend as send } from '@/components/content-runtime';
import { offerAutoconsent } from '../consent.content/autoconsent-bridge';

/**
 * The consent script's second part: @duckduckgo/autoconsent in detect-only mode (no prehiding, no
 * cosmetic rules, no automatic action), so the audited page is not altered. Registered at
 * document_idle (entrypoints/background/content-scripts.ts): autoconsent starts detecting at
 * DOMContentLoaded at the earliest anyway, and parsing it at document_start in every frame was the
 * largest part of our cost on an audited page's load. It reports what it finds, and acts on the
 * banner only when a command reaches it through the document_start part (autoconsent-bridge.ts).
 */
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  runAt: 'document_idle',
  allFrames: true,
  // No `wxt:content-script-started` window message: every message listener of the page (platforms,
  // TCF locators) would handle it in every frame, and it would tell the page an extension is here.
  noScriptStartedPostMessage: true,
  main() {
    let knownCmp = false;
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
      if (message.type === 'cmpDetected') knownCmp = true;
      const answer = await report({ kind: 'autoconsent', message: { type: message.type, ...pick(message) } });
      if (message.type === 'init' && answer) await autoconsent.receiveMessageCallback(answer as never);
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
      const done = (ok: boolean) => ({ ok, ...(cmp ? { cmp } : {}) });
      // Whether the platform's rule has a self-test (autoconsent's `scheduleSelfTest`): a rule without
      // one "passes" any test, and a frame rule's frame (Sourcepoint's) is often removed by the page
      // once the choice is made, so the background runs the test only for rules that have one.
      const selfTestable = () => {
        try {
          return !!autoconsent.foundCmp?.hasSelfTest;
        } catch {
          return false; // a dynamic rule that does not say
        }
      };
      switch (command.action) {
        case 'optIn':
          return { ...done(await autoconsent.doOptIn()), selfTestable: selfTestable() };
        case 'optOut':
          return { ...done(await autoconsent.doOptOut()), selfTestable: selfTestable() };
        case 'selfTest':
          return done(await autoconsent.doSelfTest());
        default:
          return { ok: false, detail: `autoconsent does not run ${command.action}` };
      }
    }
    offerAutoconsent({ known: () => knownCmp, run });
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
