import { evalSnippets } from '@duckduckgo/autoconsent';
import { autoconsentObservation, gestureObservation } from '@/lib/collectors/consent-events';
import type {
  ConsentCommand,
  ConsentCommandResponse,
  ConsentReport,
  ConsentSelectors,
  ConsentActionResponse,
  Sender,
} from '@/lib/messages';
import type { ConsentDecision } from '@/lib/observations';
import type { AuditStore } from '@/lib/store/audit-store';
import { autoconsentInit, fullRule } from './autoconsent-config';

/** Where each tab's banner was found: commands go to that frame. Rebuilt from reports after a restart. */
const bannerFrames = new Map<number, { frameId: number; cmp: string }>();

/** Handles a report from a frame's isolated consent script; returns autoconsent's init response when asked. */
export function onConsentReport(report: ConsentReport, sender: Sender, store: AuditStore): unknown {
  const tabId = sender.tab?.id;
  const frameId = sender.frameId ?? 0;
  if (tabId === undefined) return undefined;
  const meta = store.auditOf(tabId);
  const ctx = meta && { time: Date.now(), tabId, frameId, topSite: meta.site };
  switch (report.kind) {
    case 'autoconsent': {
      const m = report.message;
      if (m.type === 'init') return autoconsentInit(sender.url ?? m.url ?? '', frameId === 0, !!meta);
      if (m.type === 'popupFound' && m.cmp) bannerFrames.set(tabId, { frameId, cmp: m.cmp });
      const observation = ctx && autoconsentObservation(m, ctx);
      if (observation) store.record(tabId, observation);
      return undefined;
    }
    case 'gesture':
      if (ctx) {
        // The isolated world timed the click (the page cannot touch its clock); bounded by ours.
        const time = report.time <= ctx.time && ctx.time - report.time <= 30_000 ? report.time : ctx.time;
        store.record(tabId, gestureObservation(report, { ...ctx, time }));
        if (report.matched) void snapshotAfterDecision(tabId);
      }
      return undefined;
    case 'storage-snapshot':
      if (!ctx) return undefined;
      for (const e of report.entries.slice(0, 500)) {
        store.record(tabId, {
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

async function command(tabId: number, frameId: number, message: ConsentCommand): Promise<ConsentCommandResponse> {
  try {
    return (
      ((await browser.tabs.sendMessage(tabId, message, { frameId })) as ConsentCommandResponse | undefined) ?? {
        ok: false,
        detail: 'no consent script in that frame',
      }
    );
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

function snapshotAfterDecision(tabId: number): Promise<ConsentCommandResponse> {
  return command(tabId, 0, { type: 'consent-command', action: 'snapshot' });
}

/**
 * The auditor's (or a scripted audit's) automated choice. The decision is recorded first, so what
 * the click causes falls in the new phase; a failed action is recorded too, which undoes that phase.
 */
export async function consentAction(
  tabId: number,
  action: 'accept' | 'reject',
  selectors: ConsentSelectors | undefined,
  store: AuditStore,
): Promise<ConsentActionResponse> {
  const meta = store.auditOf(tabId);
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
  const how = selector
    ? `the extension clicked ${selector} (auditor-supplied ${action} selector)`
    : `the extension ran autoconsent's ${action === 'accept' ? 'opt-in' : 'opt-out'} for "${banner!.cmp}"`;
  const ctx = {
    kind: 'consent' as const,
    time: Date.now(),
    tabId,
    frameId,
    url: meta.url,
    topSite: meta.site,
    source: 'extension' as const,
    trusted: true,
  };
  store.record(tabId, {
    ...ctx,
    event: 'decision',
    decision,
    how,
    ...(banner ? { platform: banner.cmp } : {}),
    ...(selector ? { selector } : {}),
  });
  const response = selector
    ? await command(tabId, frameId, { type: 'consent-command', action: 'click', selector })
    : await command(tabId, frameId, {
        type: 'consent-command',
        action: action === 'accept' ? 'optIn' : 'optOut',
        rule: fullRule(banner!.cmp),
      });
  store.record(tabId, {
    ...ctx,
    time: Date.now(),
    event: 'action-result',
    decision,
    result: response.ok,
    how: response.ok ? `${how}: done` : `${how}: failed (${response.detail ?? 'no detail'})`,
  });
  if (!response.ok)
    return { ok: false, error: `the ${action} action failed: ${response.detail ?? 'the banner did not respond'}` };
  let selfTest: boolean | undefined;
  if (!selector && action === 'reject') {
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
    method: selector ? 'selector' : 'autoconsent',
    ...(banner ? { platform: banner.cmp } : {}),
    ...(selfTest !== undefined ? { selfTest } : {}),
  };
}

/** The auditor's own "I accepted / I refused / I customised" mark, for banners nothing recognises. */
export function markConsent(tabId: number, decision: ConsentDecision, store: AuditStore): { ok: boolean } {
  const meta = store.auditOf(tabId);
  if (!meta) return { ok: false };
  store.record(tabId, {
    kind: 'consent',
    time: Date.now(),
    tabId,
    frameId: 0,
    url: meta.url,
    topSite: meta.site,
    source: 'extension',
    trusted: true,
    event: 'decision',
    decision,
    how: `the auditor's own mark in the popup ("I ${decision === 'accept' ? 'accepted' : decision === 'reject' ? 'refused' : 'customised'}")`,
  });
  void snapshotAfterDecision(tabId);
  return { ok: true };
}

export function forgetTab(tabId: number): void {
  bannerFrames.delete(tabId);
}
