import { fingerprintObservation, pageCookieObservation, storageObservation } from '@/lib/collectors/normalize';
import { pageConsentObservation } from '@/lib/collectors/consent-events';
import { sanitizePageEvent } from '@/lib/collectors/page-event';
import { reportUrl } from '@/lib/collectors/frame-hosts';
import { siteOf } from '@/lib/site';
import type { Knowledge } from '@/lib/knowledge/types';
import {
  grant,
  parseRequest,
  refuse,
  senderRole,
  summaryOf,
  type Answer,
  type Request,
  type RequestType,
  type SelfIdentity,
  type Sender,
  type SenderRole,
} from '@/lib/messages';
import type { LoadedPolicy } from '@/lib/policy/builtin';
import type { AuditMeta, AuditStore } from '@/lib/store/audit-store';
import type { KnowledgeInfo } from '@/lib/report/types';
import {
  classify,
  importKnowledgeMessage,
  importPolicyMessage,
  listImports,
  removeImportMessage,
} from './import-handler';
import type { Imports } from './imports';
import { reportForAudit, reportForTab } from './report-service';
import { cookieFlavor } from './cookie-flavor';
import { recordTimings } from './resource-timings';
import { listHistory } from './history-service';
import type { ReviewStore } from '@/lib/review/marks';
import type { Snapshots } from './report-snapshot';
import { consentAction, markConsent, onConsentReport, runAutoconsentEval } from './consent-service';
import type { CleanStartService } from './clean-start';
import { runJourneyStep } from './journey-service';

export interface Deps {
  store: AuditStore;
  policies: () => readonly LoadedPolicy[];
  knowledge: Knowledge;
  knowledgeInfo: KnowledgeInfo;
  imports: Imports;
  /** Review marks of findings, by audit (storage.local). */
  reviews: ReviewStore;
  ready: Promise<unknown>;
  isReady: () => boolean;
  /** The popup's report snapshots and the toolbar badge (report-snapshot.ts). */
  snapshots?: Snapshots;
  /** The clean start and every audit's start state (clean-start.ts). */
  cleanStart?: CleanStartService;
}

/** What a handler is handed besides its request. */
interface Call {
  sender: Sender;
  deps: Deps;
  /** The named tab's audit, for handlers that declare `audit`. */
  meta: AuditMeta | undefined;
}

/** One entry of the handler table: who may call it, what it needs, and what it does. */
export interface Handler<K extends RequestType> {
  /** The senders allowed; every other sender is refused `not-allowed`. */
  from: readonly SenderRole[];
  /**
   * The request carries what the page world posted (through the relay): anything in it may be
   * forged, so the handler validates it again and records it as untrusted.
   */
  pageWorldPayload?: true;
  /** Answers before the store is loaded (everything else waits for it). */
  beforeReady?: true;
  /**
   * The request's `tabId` must have an audit: the current one (`running`) or, for reports, the last
   * one, ended or not (`any`). Otherwise the answer is a `not-under-audit` refusal.
   */
  audit?: 'running' | 'any';
  handle(request: Request<K>, call: Call): Answer<K> | Promise<Answer<K>>;
}

const PAGES = ['extension-page'] as const;
const CONTENT_SCRIPTS = ['content-script'] as const;

/**
 * Every request and its handler; a request type without one fails to compile. Reading or changing an
 * audit, or what every audit is judged against (imports), is for our own pages only: a content
 * script runs in a page's process and must not be able to read or steer the audit.
 */
export const HANDLERS: { [K in RequestType]: Handler<K> } = {
  status: {
    from: PAGES,
    beforeReady: true,
    handle: (_, { deps }) =>
      grant({
        ready: deps.isReady(),
        version: browser.runtime.getManifest().version,
        audits: deps.store
          .audits()
          .filter((a) => a.endedAt === undefined)
          .map(summaryOf),
        policies: deps.policies().map((p) => ({ id: p.policy.id, sites: p.policy.sites, origin: p.origin })),
        storage: deps.store.health(),
      }),
  },
  'get-report': {
    from: PAGES,
    audit: 'any',
    // Through the snapshots when there are: the report brings the popup's snapshot with it.
    handle: async (request, { deps }) =>
      grant(await (deps.snapshots ? deps.snapshots.report(request.tabId) : reportForTab(request.tabId, deps))),
  },
  'get-snapshot': {
    from: PAGES,
    audit: 'any',
    handle: async (request, { deps }) =>
      deps.snapshots
        ? grant(await deps.snapshots.refresh(request.tabId))
        : refuse('failed', 'report snapshots are not available'),
  },
  'get-observations': {
    from: PAGES,
    audit: 'running',
    handle: async (_, { deps, meta }) => grant(await deps.store.observations(meta!.auditId)),
  },
  'restart-audit': {
    from: PAGES,
    audit: 'running',
    // The site's current policy: one written or imported since the last audit (or the law's baseline) counts.
    handle: (_, { deps, meta }) => {
      const policyId = deps.imports.policyFor(meta!.site)?.policy.id ?? meta!.policyId;
      return grant(summaryOf(deps.store.start(meta!.tabId, meta!.site, policyId, meta!.url, Date.now())));
    },
  },
  'audit-site': {
    from: PAGES,
    handle: async (request, { deps }) => {
      const tab = await browser.tabs.get(request.tabId);
      if (!tab.url || !/^https?:\/\//.test(tab.url))
        return refuse('failed', 'only a web page (http or https) can be audited');
      const site = siteOf(tab.url);
      // A site without a policy is audited against the baseline of the law from now on.
      await deps.imports.auditWithBaseline(site);
      const loaded = deps.imports.policyFor(site);
      if (!loaded) return refuse('failed', `no policy or baseline covers ${site}`);
      const meta = deps.store.start(request.tabId, site, loaded.policy.id, tab.url, Date.now());
      // Reloaded, so that the page hooks (registered for the site just now) see the page from its start.
      await browser.tabs.reload(request.tabId);
      return grant(summaryOf(meta));
    },
  },
  'clean-start': {
    from: PAGES,
    audit: 'running',
    handle: async (_, { deps, meta }) => {
      if (!deps.cleanStart) return refuse('failed', 'the clean start is not available');
      return grant(await deps.cleanStart.clean(meta!));
    },
  },
  'container-audit': {
    from: PAGES,
    audit: 'running',
    handle: async (_, { deps, meta }) => {
      if (!deps.cleanStart) return refuse('failed', 'the container audit is not available');
      return grant(await deps.cleanStart.containerAudit(meta!));
    },
  },
  'page-events': {
    from: CONTENT_SCRIPTS,
    pageWorldPayload: true,
    handle: async (request, { sender, deps }) => {
      ensureAudit(sender, deps);
      const tabId = sender.tab?.id;
      // A resent batch (the relay had no answer: worker stop) is recorded once; the answer comes
      // only once the events are written, so a stop before that makes the relay resend them.
      if (tabId !== undefined && request.relay && !deps.store.acceptBatch(tabId, request.relay, request.integrity))
        return grant(null);
      recordPageEvents(request.events, sender, deps.store);
      return (await deps.store.persisted())
        ? grant(null)
        : refuse('failed', 'the audit could not be written yet: resend this batch');
    },
  },
  'resource-timings': {
    from: CONTENT_SCRIPTS,
    handle: async (request, { sender, deps }) => {
      ensureAudit(sender, deps);
      recordTimings(request.entries, sender, deps.store);
      // Acknowledged once written: the relay resends what a worker stop took (duplicates are dropped at report time).
      return (await deps.store.persisted())
        ? grant(null)
        : refuse('failed', 'the audit could not be written yet: resend these entries');
    },
  },
  'consent-report': {
    from: CONTENT_SCRIPTS,
    handle: (request, { sender, deps }) => {
      ensureAudit(sender, deps);
      const { report } = request;
      // The reading before any page script is the audit's start state, not an observation.
      if (report.kind === 'storage-snapshot' && report.reason === 'start') {
        if (sender.tab?.id !== undefined) deps.cleanStart?.storageAtStart(sender.tab.id, report);
        return grant(null);
      }
      return grant(onConsentReport(report, sender, deps.store) ?? null);
    },
  },
  'autoconsent-eval': {
    from: CONTENT_SCRIPTS,
    beforeReady: true,
    handle: async (request, { sender }) => grant(await runAutoconsentEval(request.snippetId, sender)),
  },
  'consent-action': {
    from: PAGES,
    audit: 'running',
    handle: async (request, { deps }) => {
      const result = await consentAction(request.tabId, request.action, request.selectors, deps.store);
      if (!result.ok) return refuse('failed', result.error);
      const { ok: _, ...done } = result;
      return grant(done);
    },
  },
  'mark-consent': {
    from: PAGES,
    audit: 'running',
    handle: (request, { deps }) =>
      markConsent(request.tabId, request.decision, deps.store).ok
        ? grant(null)
        : refuse('not-under-audit', notUnderAudit(request.tabId)),
  },
  journey: {
    from: PAGES,
    audit: 'running',
    handle: async (request, { deps }) => grant(await runJourneyStep(request.tabId, request.goal, deps.store)),
  },
  'import-policy': {
    from: PAGES,
    handle: async (request, { deps }) => {
      const result = await importPolicyMessage(request, deps.imports, browser.storage.local);
      if (!result.ok) return refuse('bad-request', 'the policy was not imported', result.errors);
      const { ok: _, ...imported } = result;
      return grant(imported);
    },
  },
  'import-knowledge': {
    from: PAGES,
    handle: async (request, { deps }) => {
      const result = await importKnowledgeMessage(request, deps.imports, browser.storage.local);
      if (!result.ok) return refuse('bad-request', 'the file was not imported', result.errors);
      const { ok: _, ...imported } = result;
      return grant(imported);
    },
  },
  'list-imports': {
    from: PAGES,
    handle: async (_, { deps }) => grant(await listImports(deps.imports)),
  },
  'remove-import': {
    from: PAGES,
    handle: async (request, { deps }) => {
      const result = await removeImportMessage(request, deps.imports, browser.storage.local);
      return result.ok ? grant(null) : refuse('failed', result.error);
    },
  },
  classify: {
    from: PAGES,
    handle: async (request, { deps }) => grant(await classify(request, deps.imports)),
  },
  'list-history': {
    from: PAGES,
    handle: async (_, { deps }) => grant(await listHistory(deps)),
  },
  'get-audit-report': {
    from: PAGES,
    handle: async (request, { deps }) => {
      const meta = deps.store.byId(request.auditId);
      return meta ? grant(await reportForAudit(meta, deps)) : refuse('not-under-audit', noSuchAudit(request.auditId));
    },
  },
  'delete-audit': {
    from: PAGES,
    handle: async (request, { deps }) => {
      if (!(await deps.store.remove(request.auditId))) return refuse('not-under-audit', noSuchAudit(request.auditId));
      await deps.reviews.remove(request.auditId);
      return grant(null);
    },
  },
  'set-review': {
    from: PAGES,
    handle: async (request, { deps }) => {
      if (!deps.store.byId(request.auditId)) return refuse('not-under-audit', noSuchAudit(request.auditId));
      return grant(await deps.reviews.set(request.auditId, request.findingId, request.mark, Date.now()));
    },
  },
};

const noSuchAudit = (auditId: string) => `no audit ${JSON.stringify(auditId)}: it was deleted or never existed`;

const ROLE_NAMES: Record<SenderRole, string> = {
  'extension-page': 'an extension page',
  'content-script': 'a content script',
};

const notUnderAudit = (tabId: number) => `tab ${tabId} is not under audit: open a site that has a declared policy`;

/**
 * Answers one runtime message: parsed, its sender's role decided once and checked against the
 * handler's `from`, the named tab's audit looked up, and any failure turned into a refusal.
 */
export async function answer(
  message: unknown,
  sender: Sender,
  deps: Deps,
  self: SelfIdentity,
): Promise<Answer<RequestType>> {
  const parsed = parseRequest(message);
  if (!parsed.ok) return parsed;
  const { request } = parsed;
  // TypeScript cannot correlate the request's type with its table entry; the table's type pins each pair.
  const handler = HANDLERS[request.type] as Handler<RequestType>;
  const role = senderRole(sender, self);
  if (!role || !handler.from.includes(role))
    return refuse(
      'not-allowed',
      `${request.type} is not allowed from ${role ? ROLE_NAMES[role] : 'an unknown sender'}`,
    );
  try {
    if (!handler.beforeReady) {
      await deps.ready;
      if (!deps.isReady()) return refuse('not-ready', 'the extension failed to start; see its background console');
    }
    let meta: AuditMeta | undefined;
    if (handler.audit) {
      const { tabId } = request as { tabId: number };
      meta = deps.store.auditOf(tabId) ?? (handler.audit === 'any' ? lastAudit(deps.store, tabId) : undefined);
      if (!meta) return refuse('not-under-audit', notUnderAudit(tabId));
    }
    return await handler.handle(request, { sender, deps, meta });
  } catch (error) {
    return refuse('failed', error instanceof Error ? error.message : String(error));
  }
}

function lastAudit(store: AuditStore, tabId: number): AuditMeta | undefined {
  return store
    .audits()
    .filter((a) => a.tabId === tabId)
    .at(-1);
}

/** The background's single message listener: every message gets an answer, or a refusal. */
export function startMessageHandler(deps: Deps): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: unknown) =>
    answer(message, sender as Sender, deps, { id: browser.runtime.id, origin: browser.runtime.getURL('/') }),
  );
}

/**
 * A page of an audited site can report before the browser delivers the webRequest event of its own
 * navigation (Firefox does this): start the tab's audit from the report instead of dropping it.
 */
function ensureAudit(sender: Sender, deps: Deps): void {
  const tabId = sender.tab?.id;
  const top = sender.tab?.url ?? (sender.frameId === 0 ? sender.url : undefined);
  if (tabId === undefined || !top || deps.store.auditOf(tabId) || deps.cleanStart?.isCleaning(tabId)) return;
  const site = siteOf(top);
  const loaded = deps.imports.policyFor(site);
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
    // A frame's report stays that frame's: its origin is the browser's word, not the page's.
    event.url = reportUrl(event.url, sender.url);
    const ctx = { time: event.time, tabId, frameId: sender.frameId ?? 0, topSite: meta.site };
    if (event.type === 'cookie-write') {
      const result = pageCookieObservation(event, ctx, cookieFlavor());
      if (result.ok) store.record(tabId, result.observation);
      else store.note(tabId, result.error);
    } else if (event.type === 'storage') {
      store.record(tabId, storageObservation(event, ctx));
    } else if (event.type === 'fingerprint') {
      store.record(tabId, fingerprintObservation(event, ctx));
    } else {
      const observation = pageConsentObservation(event, ctx);
      if (observation) store.record(tabId, observation);
    }
  }
}
