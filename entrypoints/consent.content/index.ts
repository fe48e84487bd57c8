import type { ConsentCommand, ConsentCommandResponse, ConsentReport } from '@/lib/messages';
import { contentSend as send, onContentMessage } from '@/components/content-runtime';
import { awaitAutoconsent, currentAutoconsent, runAutoconsent } from './autoconsent-bridge';
import { runOnce } from './command-once';
import { clickKind } from './generic-banner';
import { watchGenericBanner } from './generic-report';
import { watchGestures } from './gestures';
import { runJourney } from './journey';
import { snapshotStorage } from './storage-snapshot';

/**
 * How long an autoconsent command waits for the autoconsent part to arrive in its frame (it is
 * injected at document_idle): about as long as the background resends an unanswered command.
 */
const AUTOCONSENT_WAIT_MS = 10_000;

/**
 * Isolated-world consent script, document_start part. It reports real (isTrusted) user clicks,
 * which a page cannot fake, banners found by their shape, and snapshots web storage at load and on
 * consent changes; it answers the background's commands, and hands autoconsent's own to
 * @duckduckgo/autoconsent, which arrives later in the frame (entrypoints/autoconsent.content,
 * joined through autoconsent-bridge.ts). It acts on the banner only when the background commands it
 * (the auditor's "accept"/"refuse", or a scripted audit).
 */
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  runAt: 'document_start',
  allFrames: true,
  // No `wxt:content-script-started` window message: every message listener of the page (platforms,
  // TCF locators) would handle it in every frame, and it would tell the page an extension is here.
  noScriptStartedPostMessage: true,
  main() {
    const report = async (r: ConsentReport) => {
      const answer = await send({ type: 'consent-report', report: r });
      return answer.ok ? answer.value : undefined;
    };

    watchGestures((gesture) => void report(gesture));
    watchGenericBanner(
      () => currentAutoconsent()?.known() ?? false,
      (banner) => void report(banner),
      // A known platform gets its time to be recognised from when autoconsent is here, not before.
      awaitAutoconsent(AUTOCONSENT_WAIT_MS),
    );
    const snapshot = (reason: 'start' | 'load' | 'consent-change') => {
      const s = snapshotStorage(reason);
      if (s) void report(s);
    };
    // Before any page script: the storage an earlier visit left (the audit's start state).
    if (window === window.top) snapshot('start');
    if (window === window.top) window.addEventListener('load', () => snapshot('load'), { once: true });

    const runCommand = runOnce(run);
    onContentMessage((message: unknown): Promise<ConsentCommandResponse> | undefined => {
      const command = message as ConsentCommand;
      if (!command || command.type !== 'consent-command') return undefined;
      return runCommand(command);
    });

    async function run(command: ConsentCommand): Promise<ConsentCommandResponse> {
      switch (command.action) {
        case 'optIn':
        case 'optOut':
        case 'selfTest':
          return runAutoconsent(command, AUTOCONSENT_WAIT_MS);
        case 'click': {
          const element = document.querySelector<HTMLElement>(command.selector);
          if (!element) return { ok: false, detail: `no element matches ${command.selector}` };
          element.click();
          return { ok: true, detail: command.selector };
        }
        case 'click-kind':
          return clickKind(command.kind);
        case 'snapshot':
          snapshot('consent-change');
          return { ok: true };
        case 'journey': {
          const journey = await runJourney(command.goal);
          return { ok: journey.done, detail: journey.detail, journey };
        }
      }
    }
  },
});
