import type { Observation } from '../observations';
import type { DeclaredPolicy } from '../policy/types';
import type { Finding, ReportError, RuleId, Severity } from '../findings';
import { analyze, type Analysis } from '../engine/analyze';
import { contextsOf } from '../engine/context';
import type { Knowledge } from '../knowledge/types';
import { isBaseline } from '../policy/baseline';
import { RULES, type Rule } from './index';

/**
 * Rules that judge a policy's declarations, not the law: they do not run against the baseline of
 * the law (a site without a policy), where nothing is declared (lib/policy/baseline.ts).
 */
export const BASELINE_SKIPPED_RULES: readonly RuleId[] = ['undeclared-third-party', 'undeclared-category'];

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };
const KINDS = new Set<string>(['cookie', 'request', 'storage', 'consent', 'fingerprint', 'page', 'dns']);

export interface AuditOptions {
  /** Run only these rules (tests); all implemented rules by default. */
  rules?: RuleId[];
  /** The rule table to run (tests inject a failing rule); {@link RULES} by default. */
  ruleTable?: Partial<Record<RuleId, Rule>>;
}

export interface AuditResult {
  findings: Finding[];
  /** Parts that failed and were skipped; the rest of the audit stands. */
  errors: ReportError[];
}

/** One line for a thrown value: a failing part must be named, never stop the report. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

/**
 * Observations the engine can work with: a known kind, finite `seq` and `time`. Anything else (a
 * record damaged in storage, a future format) is left out and named, so it cannot stop the audit.
 */
export function usableObservations(observations: readonly Observation[]): {
  usable: Observation[];
  errors: ReportError[];
} {
  const usable: Observation[] = [];
  const errors: ReportError[] = [];
  for (const o of observations) {
    const fine =
      !!o &&
      typeof o === 'object' &&
      KINDS.has(o.kind) &&
      Number.isFinite(o.seq) &&
      Number.isFinite(o.time) &&
      typeof o.url === 'string';
    if (fine) usable.push(o);
    else
      errors.push({
        part: `observation ${Number.isFinite(o?.seq) ? o.seq : '?'}`,
        reason: 'malformed record (unknown kind, or no finite seq, time or url): left out of the audit',
      });
  }
  return { usable, errors };
}

/**
 * The engine: observations + declared policy + knowledge → findings. Deterministic: the same input
 * gives the same findings in the same order. Observations from several scenario runs (the
 * `scenario` field) are audited separately, since each run has its own consent timeline.
 *
 * Every part runs guarded: a rule that throws (on an observation it did not expect, or a knowledge
 * source that fails) is skipped for that scenario and named in `errors`; the other rules' findings
 * stand. A report is always produced.
 */
export function auditGuarded(
  observations: readonly Observation[],
  policy: DeclaredPolicy,
  knowledge: Knowledge,
  options: AuditOptions = {},
): AuditResult {
  const { usable, errors } = usableObservations(observations);
  let analysis: Analysis;
  try {
    analysis = analyze(usable, policy, knowledge);
  } catch (error) {
    errors.push({ part: 'audit context', reason: `${reasonOf(error)}: no rule could run` });
    return { findings: [], errors };
  }
  const result = auditAnalysis(analysis, options);
  return { findings: result.findings, errors: [...errors, ...result.errors] };
}

/**
 * The rules over an analysis already computed (lib/engine/analyze.ts), scenario by scenario, each
 * rule guarded as in {@link auditGuarded}. The analysis must be of usable observations.
 */
export function auditAnalysis(analysis: Analysis, options: AuditOptions = {}): AuditResult {
  const table = options.ruleTable ?? RULES;
  const selected = options.rules ?? (Object.keys(table) as RuleId[]);
  const findings: Finding[] = [];
  const errors: ReportError[] = [];
  for (const ctx of contextsOf(analysis)) {
    const where = ctx.scenario ? ` (scenario ${ctx.scenario})` : '';
    const baseline = isBaseline(ctx.policy);
    for (const id of selected) {
      const rule = table[id];
      if (!rule || (baseline && BASELINE_SKIPPED_RULES.includes(id))) continue;
      try {
        for (const f of rule(ctx)) findings.push(f);
      } catch (error) {
        errors.push({ part: `rule ${id}${where}`, reason: `${reasonOf(error)}: its findings are missing` });
      }
    }
  }
  findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.evidence[0]?.seq ?? 0) - (b.evidence[0]?.seq ?? 0) ||
      a.id.localeCompare(b.id),
  );
  return { findings, errors };
}

/** {@link auditGuarded}'s findings alone. */
export function audit(
  observations: readonly Observation[],
  policy: DeclaredPolicy,
  knowledge: Knowledge,
  options: AuditOptions = {},
): Finding[] {
  return auditGuarded(observations, policy, knowledge, options).findings;
}
