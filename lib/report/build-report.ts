import { redactUrl } from '../identifiers';
import { cookieWrites, refusedWrites } from '../engine/cookie-writes';
import { isoTime, localTimeZone } from '../time';
import { decisionRecord } from './decision-record';
import type { PhaseResult } from '../engine/phases';
import { analyze, classifications, type Analysis } from '../engine/analyze';
import { judgeStartState, type StartStateRecord } from '../start-state';
import type { ReportError, Severity } from '../findings';
import type { Knowledge } from '../knowledge/types';
import type { Observation } from '../observations';
import type { DeclaredPolicy } from '../policy/types';
import { auditAnalysis, auditGuarded, reasonOf, usableObservations, type AuditOptions } from '../rules/audit';
import { reportableObservations } from './identifiers';
import {
  SCHEMA_VERSION,
  type AuditReport,
  type BrowserInfo,
  type KnowledgeInfo,
  type RefusedCookie,
  type ScenarioRun,
} from './types';

export interface ReportInput {
  observations: readonly Observation[];
  policy: DeclaredPolicy;
  policySha256: string;
  knowledge: Knowledge;
  knowledgeInfo: KnowledgeInfo;
  tool: { name: string; version: string };
  browser: BrowserInfo;
  targetUrl: string;
  site: string;
  startedAt: number;
  endedAt: number;
  scenarios?: ScenarioRun[];
  notes?: string[];
  /** Whether identifiers in recorded URLs were kept (`--keep-identifiers`) or redacted (default). */
  identifiers?: 'redacted' | 'kept';
  /** What the browser held when the audit started (read by the background), judged here. */
  startState?: StartStateRecord;
  /** Parts that failed before the report (a storage read, a snapshot), to be named in it. */
  errors?: ReportError[];
  /** Injected for deterministic tests (a failing rule). */
  auditOptions?: AuditOptions;
  /** Injected for deterministic tests. */
  now?: number;
}

/** Runs one part of the report; a part that throws gives `fallback()` (only then computed) and a named error instead. */
function guarded<T>(errors: ReportError[], part: string, run: () => T, fallback: () => T): T {
  try {
    return run();
  } catch (error) {
    errors.push({ part, reason: `${reasonOf(error)}: left out of the report` });
    return fallback();
  }
}

const iso = isoTime;

type Lists = AuditReport['observations'];

/**
 * Builds the canonical JSON report: provenance, phased observations and findings. Never throws on
 * what it was given: a part that fails is left out and named in `errors` (see auditGuarded).
 */
export function buildReport(input: ReportInput): AuditReport {
  const mode = input.identifiers ?? 'redacted';
  const zone = localTimeZone();
  const { usable: recorded, errors: malformed } = usableObservations(input.observations);
  const errors: ReportError[] = [...(input.errors ?? []), ...malformed];
  // Should redaction ever fail, nothing may leak: every URL then loses its query and fragment.
  const usable = guarded(
    errors,
    'identifier redaction',
    () => reportableObservations(recorded, mode),
    () => reportableObservations(recorded, 'kept').map((o) => ({ ...o, url: o.url.replace(/[?#].*$/s, '') })),
  );
  const unphased = (): PhaseResult => ({
    observations: usable.map((o) => ({ ...o, phase: 'before-consent' as const })),
    decisions: [],
    untrustedDecisions: [],
  });
  // One analysis (phases, cookie pairing, classification) for the report and every rule.
  const analysis = guarded<Analysis | undefined>(
    errors,
    'consent phases',
    () => analyze(usable, input.policy, input.knowledge),
    () => undefined,
  );
  const { observations: phased, decisions, untrustedDecisions } = analysis ?? unphased();
  // Without an analysis the rules are still tried, each guarded, so what failed is named.
  const audited = analysis
    ? auditAnalysis(analysis, input.auditOptions)
    : auditGuarded(usable, input.policy, input.knowledge, input.auditOptions);
  errors.push(...audited.errors);
  const findings = audited.findings;
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  const byRule: AuditReport['summary']['byRule'] = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  }
  // One pass over the observations for the pages and the report's lists by kind (50,000 of them in a
  // long session). Pages: top-level documents, and the pages the browser showed without one
  // (history API, prerender activation).
  const pageSet = new Set<string>();
  const lists: Lists = { cookies: [], requests: [], storage: [], consent: [] };
  const fingerprinting: NonNullable<Lists['fingerprinting']> = [];
  const pageRecords: NonNullable<Lists['pages']> = [];
  const dnsRecords: NonNullable<Lists['dns']> = [];
  for (const o of phased) {
    if (o.kind === 'request') {
      lists.requests.push(o);
      if (o.type === 'main_frame') pageSet.add(o.url);
    } else if (o.kind === 'cookie') lists.cookies.push(o);
    else if (o.kind === 'storage') lists.storage.push(o);
    else if (o.kind === 'consent') lists.consent.push(o);
    else if (o.kind === 'fingerprint') fingerprinting.push(o);
    else if (o.kind === 'dns') dnsRecords.push(o);
    else if (o.kind === 'page') {
      pageRecords.push(o);
      if (o.navigation !== 'back-forward-cache') pageSet.add(o.url);
    }
  }
  const pages = [...pageSet];
  const decision = decisions[0];
  const record = input.startState;
  const startState =
    record &&
    guarded(
      errors,
      'start state',
      () =>
        judgeStartState(record, {
          site: input.site,
          observations: usable,
          classify: analysis?.classify ?? classifications(input.policy, input.knowledge),
        }),
      () => undefined,
    );
  const interactive = (): ScenarioRun[] => [
    {
      id: 'interactive',
      startedAt: iso(input.startedAt),
      endedAt: iso(input.endedAt),
      pages,
      ...(decision ? { decision: decisionRecord(decision) } : {}),
      ...(decisions.length > 1 ? { laterDecisions: decisions.slice(1).map(decisionRecord) } : {}),
      ...(untrustedDecisions.length
        ? {
            untrustedSignals: untrustedDecisions.map((d) => ({
              time: iso(d.time),
              ...(d.decision ? { decision: d.decision } : {}),
              how: d.how,
              source: d.source,
              why:
                d.why ??
                (d.needsGesture
                  ? 'reported by the page itself, with no real user gesture just before it'
                  : 'untrusted channel (page world)'),
            })),
          }
        : {}),
      ...(startState ? { startState } : {}),
    },
  ];
  const refused = guarded(
    errors,
    'refused cookies',
    () =>
      refusedWrites(analysis ? analysis.allCookieWrites : cookieWrites(phased)).map((w): RefusedCookie => ({
        name: w.name,
        domain: w.domain,
        path: w.path,
        seq: w.seq,
        time: iso(w.time),
        ...(w.scenario ? { scenario: w.scenario } : {}),
        via: w.via,
        url: w.url,
        ...(w.raw ? { raw: w.raw } : {}),
        why: `refused by the browser: ${w.refused}`,
      })),
    () => [],
  );
  const scenarios: ScenarioRun[] =
    input.scenarios ??
    guarded(errors, 'scenario summary', interactive, () => [
      { id: 'interactive', startedAt: iso(input.startedAt), endedAt: iso(input.endedAt), pages },
    ]);
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: iso(input.now ?? input.endedAt),
    provenance: {
      tool: input.tool,
      browser: input.browser,
      startedAt: iso(input.startedAt),
      endedAt: iso(input.endedAt),
      targetUrl: mode === 'kept' ? input.targetUrl : redactUrl(input.targetUrl),
      site: input.site,
      policy: {
        id: input.policy.id,
        version: input.policy.version,
        sha256: input.policySha256,
        title: input.policy.title,
      },
      // A copy: the background passes a live view of its imports.
      knowledge: {
        ...input.knowledgeInfo,
        ...(input.knowledgeInfo.imports ? { imports: input.knowledgeInfo.imports.map((i) => ({ ...i })) } : {}),
      },
      notes: [
        ...(input.notes ?? []),
        ...(startState && !startState.clean
          ? [`The audit did not start clean: ${startState.reasons.join('; ')}.`]
          : []),
      ],
      identifiers: mode,
      ...(zone ? { timeZone: zone } : {}),
    },
    scenarios,
    observations: {
      ...lists,
      ...(fingerprinting.length ? { fingerprinting } : {}),
      ...(pageRecords.length ? { pages: pageRecords } : {}),
      ...(dnsRecords.length ? { dns: dnsRecords } : {}),
    },
    findings,
    summary: { findings: findings.length, bySeverity, byRule },
    ...(input.policy.gaps?.length
      ? { policyGaps: input.policy.gaps.map((g) => ({ ...g, refs: g.refs.map((r) => ({ ...r })) })) }
      : {}),
    ...(refused.length ? { refusedCookies: refused } : {}),
    errors,
  };
}
