import type { Observation } from '../observations';
import type { DeclaredPolicy } from '../policy/types';
import type { Finding, RuleId, Severity } from '../findings';
import { analyze, type Analysis } from '../engine/analyze';
import { contextsOf } from '../engine/context';
import type { Knowledge } from '../knowledge/types';
import { RULES } from './index';

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

export interface AuditOptions {
  /** Run only these rules (tests); all implemented rules by default. */
  rules?: RuleId[];
}

/**
 * The engine: observations + declared policy + knowledge → findings. Deterministic: the same input
 * gives the same findings in the same order. Observations from several scenario runs (the
 * `scenario` field) are audited separately, since each run has its own consent timeline.
 */
export function audit(
  observations: readonly Observation[],
  policy: DeclaredPolicy,
  knowledge: Knowledge,
  options: AuditOptions = {},
): Finding[] {
  return auditAnalysis(analyze(observations, policy, knowledge), options);
}

/** The rules over an analysis already computed (lib/engine/analyze.ts), scenario by scenario. */
export function auditAnalysis(analysis: Analysis, options: AuditOptions = {}): Finding[] {
  const selected = options.rules ?? (Object.keys(RULES) as RuleId[]);
  const findings: Finding[] = [];
  for (const ctx of contextsOf(analysis)) {
    for (const id of selected) for (const f of RULES[id](ctx)) findings.push(f);
  }
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.evidence[0]?.seq ?? 0) - (b.evidence[0]?.seq ?? 0) ||
      a.id.localeCompare(b.id),
  );
}
