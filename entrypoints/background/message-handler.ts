import { pageCookieObservation, storageObservation } from '@/lib/collectors/normalize';
import { pageConsentObservation } from '@/lib/collectors/consent-events';
import { sanitizePageEvent } from '@/lib/collectors/page-event';
import { siteOf } from '@/lib/site';
import type { Knowledge } from '@/lib/knowledge/types';
import { isBackgroundRequest, summaryOf, type BackgroundRequest, type StatusResponse } from '@/lib/messages';
import type { LoadedPolicy } from '@/lib/policy/builtin';
import type { AuditStore } from '@/lib/store/audit-store';
import type { KnowledgeInfo } from '@/lib/report/types';
import { handleImportMessage } from './import-handler';
import type { Imports } from './imports';
import { reportForTab } from './report-service';
import { consentAction, markConsent, onConsentReport, runAutoconsentEval } from './consent-service';

interface Deps {
  store: AuditStore;
  policies: () => readonly LoadedPolicy[];
  knowledge: Knowledge;
  knowledgeInfo: KnowledgeInfo;
  imports: Imports;
  ready: Promise<unknown>;
  isReady: () => boolean;
}

type Sender = { tab?: { id?: number; url?: string }; frameId?: number; id?: string; url?: string };

/** The background's single message listener: one exhaustive switch over the typed protocol. */
export function startMessageHandler(deps: Deps): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: unknown) => {
    if (!isBackgroundRequest(message)) return undefined;
    return handle(message, sender as Sender, deps);
  });
}

async function handle(message: BackgroundRequest, sender: Sender, deps: Deps): Promise<unknown> {
  // Our own pages (popup, report tab) have our origin; content scripts carry the page's URL.
  const fromExtensionPage = sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL('/'));
  switch (message.type) {
    case 'status': {
      const response: StatusResponse = {
        ready: deps.isReady(),
        version: browser.runtime.getManifest().version,
        audits: deps.store
          .audits()
          .filter((a) => a.endedAt === undefined)
          .map(summaryOf),
        policies: deps.policies().map((p) => ({ id: p.policy.id, sites: p.policy.sites, origin: p.origin })),
      };
      return response;
    }
    case 'get-report':
      // Content scripts (and so the page) must not read the audit.
      if (!fromExtensionPage) return { ok: false, error: 'not allowed from a content script' };
      await deps.ready;
      try {
        return { ok: true, report: await reportForTab(message.tabId, deps) };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    case 'get-observations': {
      if (!fromExtensionPage) return [];
      await deps.ready;
      const meta = deps.store.auditOf(message.tabId);
      return meta ? deps.store.observations(meta.auditId) : [];
    }
    case 'restart-audit': {
      if (!fromExtensionPage) return null;
      await deps.ready;
      const meta = deps.store.auditOf(message.tabId);
      if (!meta) return null;
      return summaryOf(deps.store.start(meta.tabId, meta.site, meta.policyId, meta.url, Date.now()));
    }
    case 'page-events':
      await deps.ready;
      ensureAudit(sender, deps);
      recordPageEvents(message.events, sender, deps.store);
      return undefined;
    case 'consent-report':
      await deps.ready;
      ensureAudit(sender, deps);
      return onConsentReport(message.report, sender, deps.store);
    case 'autoconsent-eval':
      return runAutoconsentEval(message.snippetId, sender);
    case 'consent-action':
      if (!fromExtensionPage) return { ok: false, error: 'not allowed from a content script' };
      await deps.ready;
      return consentAction(message.tabId, message.action, message.selectors, deps.store);
    case 'mark-consent':
      if (!fromExtensionPage) return { ok: false };
      await deps.ready;
      return markConsent(message.tabId, message.decision, deps.store);
    case 'import-policy':
    case 'import-knowledge':
    case 'list-imports':
    case 'remove-import':
    case 'classify':
      // Imports change what every audit is judged against: only our own pages may make them.
      if (!fromExtensionPage)
        return message.type === 'import-policy'
          ? { ok: false, errors: [{ path: '/', message: 'not allowed from a content script' }] }
          : { ok: false, error: 'not allowed from a content script' };
      return handleImportMessage(message, deps.imports, browser.storage.local);
  }
}

/**
 * A page of an audited site can report before the browser delivers the webRequest event of its own
 * navigation (Firefox does this): start the tab's audit from the report instead of dropping it.
 */
function ensureAudit(sender: Sender, deps: Deps): void {
  const tabId = sender.tab?.id;
  const top = sender.tab?.url ?? (sender.frameId === 0 ? sender.url : undefined);
  if (tabId === undefined || !top || deps.store.auditOf(tabId)) return;
  const site = siteOf(top);
  const loaded = deps.policies().find((p) => p.policy.sites.includes(site));
  if (loaded) deps.store.start(tabId, site, loaded.policy.id, top, Date.now());
}

/** Page-world reports: validated again here, since the page can send anything through the relay. */
function recordPageEvents(events: unknown, sender: Sender, store: AuditStore): void {
  const tabId = sender.tab?.id;
  if (tabId === undefined || !Array.isArray(events)) return;
  const meta = store.auditOf(tabId);
  if (!meta) return;
  const now = Date.now();
  for (const raw of events.slice(0, 501)) {
    // The relay stamped each event when it saw it: keep that time (bounded by ours).
    const event = sanitizePageEvent(raw, now, sender.url ?? meta.url, true);
    if (!event) continue;
    const ctx = { time: event.time, tabId, frameId: sender.frameId ?? 0, topSite: meta.site };
    if (event.type === 'cookie-write') {
      const result = pageCookieObservation(event, ctx);
      if (result.ok) store.record(tabId, result.observation);
      else store.note(tabId, result.error);
    } else if (event.type === 'storage') {
      store.record(tabId, storageObservation(event, ctx));
    } else {
      const observation = pageConsentObservation(event, ctx);
      if (observation) store.record(tabId, observation);
    }
  }
}
