import type { Knowledge } from '../knowledge/types';
import type { DeclaredPolicy } from '../policy/types';
import type { Analysis, Classifications, Timeline } from './analyze';

/** Everything a rule reads: one scenario's timeline of the analysis, computed once (lib/engine/analyze.ts). */
export interface AuditContext extends Timeline {
  policy: DeclaredPolicy;
  knowledge: Knowledge;
  /** Memoised classification, shared by every rule and scenario of the analysis. */
  classify: Classifications;
}

/** The contexts the rules run in: one per scenario timeline of the analysis. */
export function contextsOf(analysis: Analysis): AuditContext[] {
  const { policy, knowledge, classify } = analysis;
  return analysis.timelines.map((t) => ({ ...t, policy, knowledge, classify }));
}
