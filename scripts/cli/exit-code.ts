/**
 * The command's exit status, from what the audit found: 2 when a scenario failed (its consent choice
 * could not be made), else 1 when a finding is at or above `--fail-on`, else 0. A failure wins over
 * findings: a CI job must not read "findings" when the audit itself went wrong.
 */
import type { Finding, Severity } from '../../lib/findings.ts';
import type { AuditOptions } from './parse-args.ts';

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** True when `severity` is `threshold` or more severe. */
export const atOrAbove = (severity: Severity, threshold: Severity): boolean => RANK[severity] <= RANK[threshold];

export function exitCodeOf(
  findings: readonly Pick<Finding, 'severity'>[],
  failOn: AuditOptions['failOn'],
  failures: readonly string[],
): 0 | 1 | 2 {
  if (failures.length) return 2;
  return failOn && findings.some((f) => atOrAbove(f.severity, failOn)) ? 1 : 0;
}

/**
 * The exit status of a `--urls` list: the worst site's. A failed site (2) wins over findings (1),
 * which win over a clean audit (0); an empty list exits 0.
 */
export function worstExitCode(codes: Iterable<0 | 1 | 2>): 0 | 1 | 2 {
  let worst: 0 | 1 | 2 = 0;
  for (const code of codes) if (code > worst) worst = code;
  return worst;
}
