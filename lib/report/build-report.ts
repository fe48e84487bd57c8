import { auditAnalysis } from '../rules/audit';
import type { Knowledge } from '../knowledge/types';
import { analyze } from '../engine/analyze';
import type { Observation } from '../observations';
import type { DeclaredPolicy } from '../policy/types';
import type { Severity } from '../findings';
import { SCHEMA_VERSION, type AuditReport, type BrowserInfo, type KnowledgeInfo, type ScenarioRun } from './types';

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
  /** Injected for deterministic tests. */
  now?: number;
}

const iso = (t: number) => new Date(t).toISOString();

/** Builds the canonical JSON report: provenance, phased observations and findings. */
export function buildReport(input: ReportInput): AuditReport {
  const analysis = analyze(input.observations, input.policy, input.knowledge);
  const { observations: phased, decisions, untrustedDecisions } = analysis;
  const findings = auditAnalysis(analysis);
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  const byRule: AuditReport['summary']['byRule'] = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  }
  const pages = [...new Set(phased.flatMap((o) => (o.kind === 'request' && o.type === 'main_frame' ? [o.url] : [])))];
  const decision = decisions[0];
  const scenarios: ScenarioRun[] = input.scenarios ?? [
    {
      id: 'interactive',
      startedAt: iso(input.startedAt),
      endedAt: iso(input.endedAt),
      pages,
      ...(decision
        ? {
            decision: {
              decision: decision.decision,
              time: iso(decision.time),
              how: decision.establishedBy,
              trusted: decision.trusted,
            },
          }
        : {}),
      ...(decisions.length > 1
        ? {
            laterDecisions: decisions
              .slice(1)
              .map((d) => ({ decision: d.decision, time: iso(d.time), how: d.establishedBy, trusted: d.trusted })),
          }
        : {}),
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
    },
  ];
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: iso(input.now ?? input.endedAt),
    provenance: {
      tool: input.tool,
      browser: input.browser,
      startedAt: iso(input.startedAt),
      endedAt: iso(input.endedAt),
      targetUrl: input.targetUrl,
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
      notes: input.notes ?? [],
    },
    scenarios,
    observations: {
      cookies: phased.filter((o) => o.kind === 'cookie'),
      requests: phased.filter((o) => o.kind === 'request'),
      storage: phased.filter((o) => o.kind === 'storage'),
      consent: phased.filter((o) => o.kind === 'consent'),
    },
    findings,
    summary: { findings: findings.length, bySeverity, byRule },
    ...(input.policy.gaps?.length
      ? { policyGaps: input.policy.gaps.map((g) => ({ ...g, refs: g.refs.map((r) => ({ ...r })) })) }
      : {}),
  };
}
