import { evalSnippets } from '@duckduckgo/autoconsent';
import { autoconsentObservation, genericBannerObservation, gestureObservation } from '@/lib/collectors/consent-events';
import type {
  ConsentCommand,
  ConsentCommandResponse,
  ConsentReport,
  ConsentSelectors,
  ConsentActionResponse,
  Sender,
} from '@/lib/messages';
import type { ConsentDecision } from '@/lib/observations';
import type { KeyValueStorage } from '@/lib/store/audit-store';
import { autoconsentInit, fullRule } from './autoconsent-config';
import type { ConsentSink } from './sinks';

/** Where a tab's banner was found: commands go to that frame. */
export interface BannerFrame {
  frameId: number;
  cmp: string;
  /** Found by its shape, not a known platform: driven by its controls' words. */
  generic?: boolean;
}

/**
 * Banner frames, kept in `storage.session` under a versioned key: the MV3 worker can stop between
 * the report of a banner and the auditor's click, and the new worker must still know which frame
 * to command. Session storage is the browser's memory, cleared when the browser closes, which is
 * the life of a tab id. Small (one entry per audited tab with a banner), so it is rewritten whole.
 */
export const BANNER_FRAMES_KEY = 'consent:v1:banner-frames';
const MAX_TABS = 200;

export interface ConsentServiceDeps {
  /** `browser.storage.session` in the background. */
  storage: KeyValueStorage;
  /** Sends a command to one frame's consent script; `browser.tabs.sendMessage` by default. */
  sendToFrame?: (tabId: number, message: ConsentCommand, frameId: number) => Promise<unknown>;
  now?: () => number;
  /** Waits before a command is resent (a timer by default; tests pass an instant one). */
  wait?: (ms: number) => Promise<void>;
}

/**
 * Delays before a command is resent to a frame whose consent script did not answer: 0.1 s doubling
 * to 2 s, about 10 s in all. A page's load event does not mean the frame's consent script listens:
 * under load, Firefox was seen to answer a click command with no consent listener (only the relay's,
 * which leaves it unanswered), and the action failed silently. Resending is safe: the command carries
 * an id, and the frame runs a command id once (a lost answer gets the first run's answer).
 */
export const RESEND_DELAYS_MS = [100, 200, 400, 800, 1_600, 2_000, 2_000, 2_000];

/** No consent script received the command (none injected yet, or only other listeners in the frame). */
function unreceived(answer: unknown): boolean {
  return !answer || typeof answer !== 'object' || typeof (answer as { ok?: unknown }).ok !== 'boolean';
}
// Chromium says the port closed when the frame's only listeners left the command unanswered.
const NO_RECEIVER = /receiving end does not exist|could not establish connection|message port closed/i;

export interface ConsentService {
  /** Resolves once the banner frames stored by an earlier worker are read back. */
  restored: Promise<void>;
  /** Handles a report from a frame's isolated consent script; returns autoconsent's init response when asked. */
  onReport(report: ConsentReport, sender: Sender, sink: ConsentSink): unknown;
  /** The auditor's (or a scripted audit's) automated choice. */
  action(
    tabId: number,
    action: 'accept' | 'reject',
    selectors: ConsentSelectors | undefined,
    sink: ConsentSink,
  ): Promise<ConsentActionResponse>;
  /** The auditor's own "I accepted / I refused / I customised" mark, for banners nothing recognises. */
  mark(tabId: number, decision: ConsentDecision, sink: ConsentSink): { ok: boolean };
  bannerFrame(tabId: number): BannerFrame | undefined;
  /** Sends a command to a frame's consent script, resent until it answers (the journeys use it too). */
  command(tabId: number, frameId: number, message: ConsentCommand): Promise<ConsentCommandResponse>;
  /** Resolves once every change so far is written to storage (or failed to be, which is logged). */
  persisted(): Promise<void>;
  /** Drops what is kept about a closed tab. */
  forgetTab(tabId: number): Promise<void>;
}

export function createConsentService(deps: ConsentServiceDeps): ConsentService {
  const now = deps.now ?? Date.now;
  const sendToFrame =
    deps.sendToFrame ?? ((tabId, message, frameId) => browser.tabs.sendMessage(tabId, message, { frameId }));
  const bannerFrames = new Map<number, BannerFrame>();
  // Tabs changed in this worker before the stored frames were read back: what they say now wins.
  const changed = new Set<number>();
  let restoring = true;
  const touch = (tabId: number) => restoring && changed.add(tabId);

  const restored = deps.storage
    .get(BANNER_FRAMES_KEY)
    .then(
      (items) => {
        const stored = items[BANNER_FRAMES_KEY];
        if (!stored || typeof stored !== 'object') return;
        for (const [tab, frame] of Object.entries(stored as Record<string, unknown>)) {
          const tabId = Number(tab);
          const f = frame as Partial<BannerFrame> | null;
          if (
            !Number.isInteger(tabId) ||
            changed.has(tabId) ||
            typeof f?.frameId !== 'number' ||
            typeof f.cmp !== 'string'
          )
            continue;
          bannerFrames.set(tabId, { frameId: f.frameId, cmp: f.cmp, ...(f.generic ? { generic: true } : {}) });
        }
      },
      (error: unknown) => console.warn('Consent Auditor: could not read banner frames', error),
    )
    .finally(() => {
      restoring = false;
      changed.clear();
    });

  let writing: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    writing = writing
      .then(() => restored)
      .then(async () => {
        const entries = [...bannerFrames].slice(-MAX_TABS);
        if (entries.length) await deps.storage.set({ [BANNER_FRAMES_KEY]: Object.fromEntries(entries) });
        else await deps.storage.remove(BANNER_FRAMES_KEY);
      })
      .catch((error: unknown) => console.warn('Consent Auditor: could not store banner frames', error));
    return writing;
  };

  const wait = deps.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /**
   * Sends a command until the frame's consent script answers it (see RESEND_DELAYS_MS). An answer,
   * success or failure, is final; an error other than "no receiver" is too (the command may have run).
   */
  const command = async (tabId: number, frameId: number, message: ConsentCommand): Promise<ConsentCommandResponse> => {
    const sent = { ...message, id: message.id ?? globalThis.crypto.randomUUID() };
    let why = 'no consent script answered in that frame';
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await sendToFrame(tabId, sent, frameId);
        if (!unreceived(answer)) return answer as ConsentCommandResponse;
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        if (!NO_RECEIVER.test(detail)) return { ok: false, detail };
        why = `no consent script in that frame (${detail})`;
      }
      const delay = RESEND_DELAYS_MS[attempt];
      if (delay === undefined) return { ok: false, detail: `${why}, after ${attempt + 1} attempts` };
      await wait(delay);
    }
  };

  const snapshotAfterDecision = (tabId: number) => command(tabId, 0, { type: 'consent-command', action: 'snapshot' });

  return {
    restored,
    bannerFrame: (tabId) => bannerFrames.get(tabId),
    command,
    persisted: () => writing,
    onReport(report, sender, sink) {
      const tabId = sender.tab?.id;
      const frameId = sender.frameId ?? 0;
      if (tabId === undefined) return undefined;
      const meta = sink.auditOf(tabId);
      const ctx = meta && { time: now(), tabId, frameId, topSite: meta.site };
      switch (report.kind) {
        case 'autoconsent': {
          const m = report.message;
          if (m.type === 'init') return autoconsentInit(sender.url ?? m.url ?? '', frameId === 0, !!meta);
          if (m.type === 'popupFound' && m.cmp) {
            bannerFrames.delete(tabId); // re-inserted last: the newest are kept when trimming
            bannerFrames.set(tabId, { frameId, cmp: m.cmp });
            touch(tabId);
            void persist();
          }
          const observation = ctx && autoconsentObservation(m, ctx);
          if (observation) sink.record(tabId, observation);
          return undefined;
        }
        case 'gesture':
          if (ctx) {
            // The isolated world timed the click (the page cannot touch its clock); bounded by ours.
            const time = report.time <= ctx.time && ctx.time - report.time <= 30_000 ? report.time : ctx.time;
            sink.record(tabId, gestureObservation(report, { ...ctx, time }));
            if (report.matched) void snapshotAfterDecision(tabId);
          }
          return undefined;
        case 'generic-banner':
          if (!ctx) return undefined;
          // A known platform's banner in this tab is driven by its rule; a banner by shape never replaces it.
          if (!bannerFrames.get(tabId) || bannerFrames.get(tabId)!.generic) {
            bannerFrames.delete(tabId);
            bannerFrames.set(tabId, { frameId, cmp: 'banner found by its shape', generic: true });
            touch(tabId);
            void persist();
          }
          sink.record(tabId, genericBannerObservation(report, ctx));
          return undefined;
        case 'storage-snapshot':
          if (!ctx) return undefined;
          for (const e of report.entries.slice(0, 500)) {
            sink.record(tabId, {
              kind: 'storage',
              ...ctx,
              url: report.url,
              source: 'page-state',
              area: e.area,
              action: 'snapshot',
              key: e.key,
              valueLength: e.valueLength,
              origin: report.origin,
            });
          }
          return undefined;
      }
    },

    /**
     * The decision is recorded first, so what the click causes falls in the new phase; a failed
     * action is recorded too, which undoes that phase.
     */
    async action(tabId, action, selectors, sink) {
      await restored;
      const meta = sink.auditOf(tabId);
      if (!meta) return { ok: false, error: `tab ${tabId} is not under audit` };
      const selector = action === 'accept' ? selectors?.accept : selectors?.reject;
      const banner = bannerFrames.get(tabId);
      if (!selector && !banner)
        return {
          ok: false,
          error: 'no consent banner was detected on this page; give CSS selectors for its accept and refuse controls',
        };
      const decision: ConsentDecision = action;
      const frameId = selector ? 0 : banner!.frameId;
      const byText = !selector && !!banner?.generic;
      const how = selector
        ? `the extension clicked ${selector} (auditor-supplied ${action} selector)`
        : byText
          ? `the extension clicked the banner's ${action === 'accept' ? 'accept' : 'refuse'} control, found by its words (a banner of no known platform)`
          : `the extension ran autoconsent's ${action === 'accept' ? 'opt-in' : 'opt-out'} for "${banner!.cmp}"`;
      const ctx = {
        kind: 'consent' as const,
        time: now(),
        tabId,
        frameId,
        url: meta.url,
        topSite: meta.site,
        source: 'extension' as const,
        trusted: true,
      };
      sink.record(tabId, {
        ...ctx,
        event: 'decision',
        decision,
        how,
        timeSource: 'extension-action',
        ...(banner && !byText ? { platform: banner.cmp } : {}),
        ...(selector ? { selector } : {}),
      });
      const response = selector
        ? await command(tabId, frameId, { type: 'consent-command', action: 'click', selector })
        : byText
          ? await command(tabId, frameId, {
              type: 'consent-command',
              action: 'click-kind',
              kind: action === 'accept' ? 'accept' : 'refuse',
            })
          : await command(tabId, frameId, {
              type: 'consent-command',
              action: action === 'accept' ? 'optIn' : 'optOut',
              rule: fullRule(banner!.cmp),
            });
      sink.record(tabId, {
        ...ctx,
        time: now(),
        event: 'action-result',
        decision,
        result: response.ok,
        how: response.ok
          ? `${how}: done${response.detail && byText ? ` (${response.detail})` : ''}`
          : `${how}: failed (${response.detail ?? 'no detail'})`,
      });
      if (!response.ok)
        return { ok: false, error: `the ${action} action failed: ${response.detail ?? 'the banner did not respond'}` };
      let selfTest: boolean | undefined;
      // Only a rule with a self-test is tested: autoconsent's test of a rule without one always passes,
      // and a frame rule's frame is often gone by then (the page removes it once the choice is made).
      if (!selector && !byText && action === 'reject' && response.selfTestable !== false) {
        const test = await command(tabId, frameId, {
          type: 'consent-command',
          action: 'selfTest',
          rule: fullRule(banner!.cmp),
        });
        selfTest = test.ok;
      }
      await snapshotAfterDecision(tabId);
      return {
        ok: true,
        method: selector ? 'selector' : byText ? 'banner-text' : 'autoconsent',
        ...(banner && !byText ? { platform: banner.cmp } : {}),
        ...(byText && response.control ? { control: response.control } : {}),
        ...(selfTest !== undefined ? { selfTest } : {}),
      };
    },

    mark(tabId, decision, sink) {
      const meta = sink.auditOf(tabId);
      if (!meta) return { ok: false };
      sink.record(tabId, {
        kind: 'consent',
        time: now(),
        tabId,
        frameId: 0,
        url: meta.url,
        topSite: meta.site,
        source: 'extension',
        trusted: true,
        event: 'decision',
        decision,
        // The engine dates it at a real click shortly before it, when there was one (lib/engine/phases.ts).
        timeSource: 'mark',
        how: `the auditor's own mark in the popup ("I ${decision === 'accept' ? 'accepted' : decision === 'reject' ? 'refused' : 'customised'}")`,
      });
      void snapshotAfterDecision(tabId);
      return { ok: true };
    },

    async forgetTab(tabId) {
      touch(tabId);
      // A frame only in storage (not yet read back) is left out of the next write.
      if (bannerFrames.delete(tabId)) await persist();
    },
  };
}

/** Runs one of autoconsent's own eval snippets in the page world of the asking frame. */
export async function runAutoconsentEval(snippetId: string, sender: Sender): Promise<unknown> {
  const snippet = (evalSnippets as Record<string, (() => unknown) | undefined>)[snippetId];
  const tabId = sender.tab?.id;
  if (!snippet || tabId === undefined) return false;
  const [result] = await browser.scripting
    .executeScript({ target: { tabId, frameIds: [sender.frameId ?? 0] }, world: 'MAIN', func: snippet } as never)
    .catch(() => [] as Array<{ result?: unknown }>);
  return (result as { result?: unknown } | undefined)?.result ?? false;
}

// The background's one service, over `storage.session`, created on first use in each worker.
let service: ConsentService | undefined;
/** The worker's consent service (its banner frames read back from `storage.session`). */
export function consentService(): ConsentService {
  return (service ??= createConsentService({ storage: browser.storage.session }));
}

/** {@link ConsentService.onReport} of the worker's service. */
export function onConsentReport(report: ConsentReport, sender: Sender, sink: ConsentSink): unknown {
  return consentService().onReport(report, sender, sink);
}

/** {@link ConsentService.action} of the worker's service. */
export function consentAction(
  tabId: number,
  action: 'accept' | 'reject',
  selectors: ConsentSelectors | undefined,
  sink: ConsentSink,
): Promise<ConsentActionResponse> {
  return consentService().action(tabId, action, selectors, sink);
}

/** {@link ConsentService.mark} of the worker's service. */
export function markConsent(tabId: number, decision: ConsentDecision, sink: ConsentSink): { ok: boolean } {
  return consentService().mark(tabId, decision, sink);
}
