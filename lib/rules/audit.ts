import type { Observation, Scenario } from '../observations';
import type { DeclaredPolicy } from '../policy/types';
import type { Finding, RuleId, Severity } from '../findings';
import { buildContext } from '../engine/context';
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
  const byScenario = new Map<Scenario | undefined, Observation[]>();
  for (const o of observations) {
    const list = byScenario.get(o.scenario);
    if (list) list.push(o);
    else byScenario.set(o.scenario, [o]);
  }
  const selected = options.rules ?? (Object.keys(RULES) as RuleId[]);
  const findings: Finding[] = [];
  for (const [scenario, group] of byScenario) {
    const ctx = buildContext(group, policy, knowledge, scenario);
    for (const id of selected) findings.push(...RULES[id](ctx));
  }
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.evidence[0]?.seq ?? 0) - (b.evidence[0]?.seq ?? 0) ||
      a.id.localeCompare(b.id),
  );
}
