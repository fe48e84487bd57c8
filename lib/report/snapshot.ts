/**
 * The popup's view of an audit: a small snapshot of the report (findings, summary, scenarios), with
 * no observations, that the background keeps in `storage.session` and rewrites after each flush. The
 * popup reads it and reacts to `storage.onChanged` instead of asking for a full rebuild. Evidence is
 * capped per finding, so a busy audit's snapshot stays small; the report page reads the full report.
 * Pure: report in, snapshot out.
 */
import type { Finding } from '../findings';
import type { StoreHealth } from '../store/audit-store';
import type { AuditReport } from './types';

export const SNAPSHOT_VERSION = 1;
/** Evidence items kept per finding in the snapshot. */
export const SNAPSHOT_EVIDENCE = 5;

/** The `storage.session` key of a tab's snapshot. */
export const snapshotKey = (tabId: number): string => `snapshot:v${SNAPSHOT_VERSION}:${tabId}`;

/**
 * The `storage.local` key of a report placed by a test or a benchmark, shown by the report page
 * only when opened as `report.html?injected=1` (components/report-source.ts).
 */
export const INJECTED_REPORT_KEY = 'report-injection:v1';

/** A finding with its evidence capped; `evidenceTotal` says how many the full report holds. */
export type SnapshotFinding = Finding & { evidenceTotal: number };

export interface ReportSnapshot {
  version: typeof SNAPSHOT_VERSION;
  tabId: number;
  auditId: string;
  /** When the background built it (ms since epoch). */
  builtAt: number;
  generatedAt: string;
  provenance: AuditReport['provenance'];
  scenarios: AuditReport['scenarios'];
  summary: AuditReport['summary'];
  findings: SnapshotFinding[];
  policyGaps?: AuditReport['policyGaps'];
  errors: AuditReport['errors'];
  /** How many observations of each kind the report holds. */
  counts: { cookies: number; requests: number; storage: number; consent: number };
  /** Consent platforms whose banner was seen (known to autoconsent). */
  platforms: string[];
  /** The last banner found by its shape (no known platform), with its classified controls. */
  genericBanner?: NonNullable<AuditReport['observations']['consent'][number]['banner']>;
  /** Whether the store can write (a full quota is shown). */
  storage?: StoreHealth;
}

/** The snapshot of a report. */
export function snapshotOf(
  report: AuditReport,
  tabId: number,
  auditId: string,
  builtAt: number,
  storage?: StoreHealth,
): ReportSnapshot {
  const o = report.observations;
  const shown = o.consent.filter((c) => c.event === 'banner-shown' || c.event === 'banner-detected');
  const genericBanner = [...shown].reverse().find((c) => c.banner?.kind === 'generic')?.banner;
  return {
    version: SNAPSHOT_VERSION,
    tabId,
    auditId,
    builtAt,
    generatedAt: report.generatedAt,
    provenance: report.provenance,
    scenarios: report.scenarios,
    summary: report.summary,
    findings: report.findings.map((f) => ({
      ...f,
      evidence: f.evidence.slice(0, SNAPSHOT_EVIDENCE),
      evidenceTotal: f.evidence.length,
    })),
    ...(report.policyGaps ? { policyGaps: report.policyGaps } : {}),
    errors: report.errors,
    counts: {
      cookies: o.cookies.length,
      requests: o.requests.length,
      storage: o.storage.length,
      consent: o.consent.length,
    },
    platforms: [...new Set(shown.flatMap((c) => (c.banner ? [] : [c.platform ?? '?'])))],
    ...(genericBanner ? { genericBanner } : {}),
    ...(storage ? { storage } : {}),
  };
}

/** True for a stored value shaped like a snapshot of this version. */
export function isSnapshot(value: unknown): value is ReportSnapshot {
  return (
    !!value &&
    typeof value === 'object' &&
    (value as ReportSnapshot).version === SNAPSHOT_VERSION &&
    Array.isArray((value as ReportSnapshot).findings)
  );
}
