import { browserFromUserAgent } from '@/lib/browser-info';
import type { Knowledge } from '@/lib/knowledge/types';
import type { LoadedPolicy } from '@/lib/policy/builtin';
import type { ReportError } from '@/lib/findings';
import { buildReport } from '@/lib/report/build-report';
import { reconcileTimings, recoveredNote } from '@/lib/collectors/resource-timing';
import { reasonOf } from '@/lib/rules/audit';
import { KEEP_IDENTIFIERS_KEY } from '@/lib/report/identifiers';
import type { AuditReport, BrowserInfo } from '@/lib/report/types';
import type { RelayCommand } from '@/lib/messages';
import { integrityNotes, type AuditMeta, type AuditStore } from '@/lib/store/audit-store';
import type { ReviewStore } from '@/lib/review/marks';
import type { StartStateRecord } from '@/lib/start-state';
import { snapshotUnconfirmedCookies } from './cookie-snapshot';

let browserInfo: Promise<BrowserInfo> | undefined;

/** Browser name and version; Firefox tells it exactly through getBrowserInfo(). */
function currentBrowser(): Promise<BrowserInfo> {
  browserInfo ??= (async () => {
    const info = browserFromUserAgent(navigator.userAgent);
    const runtime = browser.runtime as unknown as { getBrowserInfo?: () => Promise<{ name: string; version: string }> };
    if (runtime.getBrowserInfo) {
      const { name, version } = await runtime.getBrowserInfo();
      return { ...info, name, version };
    }
    // Chromium's user agent is reduced to "156.0.0.0"; the full version is a high-entropy hint.
    const hints = (
      navigator as unknown as {
        userAgentData?: {
          getHighEntropyValues(h: string[]): Promise<{ fullVersionList?: Array<{ brand: string; version: string }> }>;
        };
      }
    ).userAgentData;
    const list = (await hints?.getHighEntropyValues(['fullVersionList']).catch(() => undefined))?.fullVersionList ?? [];
    const brand = list.find((b) => /Chrom/.test(b.brand) && !/Not/.test(b.brand));
    // An emulated user agent (scripted audits) carries no full-version hint: its own version stands.
    return brand && !/\.0\.0\.0$/.test(brand.version) ? { ...info, version: brand.version } : info;
  })();
  return browserInfo;
}

/** What building a report needs. */
export interface ReportDeps {
  store: AuditStore;
  policies: () => readonly LoadedPolicy[];
  knowledge: Knowledge;
  knowledgeInfo: { version: string; vendors: number };
  reviews: ReviewStore;
  cleanStart?: { startStateOf(auditId: string): Promise<StartStateRecord | undefined> };
}

/** Builds the tab's current audit report from what the store holds. */
export async function reportForTab(tabId: number, deps: ReportDeps): Promise<AuditReport> {
  const meta =
    deps.store.auditOf(tabId) ??
    deps.store
      .audits()
      .filter((a) => a.tabId === tabId)
      .at(-1);
  if (!meta) throw new Error(`tab ${tabId} is not under audit: open a site that has a declared policy`);
  return reportForAudit(meta, deps);
}

/**
 * Builds one audit's report, running or ended, with its id and review marks, and keeps its counts
 * for the history list. `live: false` skips asking a running tab for a fresh storage reading.
 */
export async function reportForAudit(meta: AuditMeta, deps: ReportDeps, live = true): Promise<AuditReport> {
  const atSeq = meta.nextSeq;
  const report = await buildAuditReport(meta, deps, live);
  const { findings, bySeverity } = report.summary;
  deps.store.setCounts(meta.auditId, { atSeq, findings, bySeverity });
  const reviews = await deps.reviews.get(meta.auditId).catch(() => ({}));
  return { ...report, auditId: meta.auditId, ...(Object.keys(reviews).length ? { reviews } : {}) };
}

async function buildAuditReport(meta: AuditMeta, deps: ReportDeps, live: boolean): Promise<AuditReport> {
  const tabId = meta.tabId;
  const loaded = deps.policies().find((p) => p.policy.id === meta.policyId);
  if (!loaded) throw new Error(`policy ${meta.policyId} is no longer loaded`);
  if (meta.endedAt === undefined && live) await storageReading(tabId);
  let observations = await deps.store.observations(meta.auditId);
  // A failing snapshot (cookie store, storage write) costs its detail, never the report.
  const errors: ReportError[] = [];
  try {
    if (await snapshotUnconfirmedCookies(deps.store, meta, observations))
      observations = await deps.store.observations(meta.auditId);
  } catch (error) {
    errors.push({
      part: 'cookie-store snapshot',
      reason: `${reasonOf(error)}: unconfirmed cookies keep no stored expiry`,
    });
  }
  // Requests webRequest missed (worker stops), recovered from the page's Resource Timing entries.
  const timings = reconcileTimings(observations);
  observations = timings.observations;
  // Identifiers are redacted unless the stored setting explicitly keeps them (lib/report/identifiers.ts).
  const setting = await browser.storage.local.get(KEEP_IDENTIFIERS_KEY).catch(() => ({}) as Record<string, unknown>);
  const keep = (setting as Record<string, unknown>)[KEEP_IDENTIFIERS_KEY] === true;
  const startState = await deps.cleanStart?.startStateOf(meta.auditId);
  return buildReport({
    ...(startState ? { startState } : {}),
    errors,
    identifiers: keep ? 'kept' : 'redacted',
    observations,
    policy: loaded.policy,
    policySha256: loaded.sha256,
    knowledge: deps.knowledge,
    knowledgeInfo: deps.knowledgeInfo,
    tool: { name: 'Consent Auditor', version: browser.runtime.getManifest().version },
    browser: await currentBrowser(),
    targetUrl: meta.url,
    site: meta.site,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt ?? Date.now(),
    notes: [
      'Cookie values are never recorded; evidence keeps names, attributes and value lengths.',
      'Page-world reports (document.cookie writes) come from a script the page could tamper with; they are marked source "page-hook".',
      ...meta.notes,
      ...integrityNotes(meta),
      ...recoveredNote(timings.recovered),
    ],
  });
}

/**
 * Asks the tab's top frame to read its storage and send what changed, so a report includes writes
 * the hooks missed up to now; bounded, since a page being unloaded may not answer.
 */
async function storageReading(tabId: number): Promise<void> {
  const command: RelayCommand = { type: 'relay-snapshot' };
  await Promise.race([
    browser.tabs.sendMessage(tabId, command, { frameId: 0 }).catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 1_500)),
  ]);
}
