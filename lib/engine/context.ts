import type { Knowledge } from '../knowledge/types';
import type { Observation, Scenario } from '../observations';
import type { DeclaredPolicy } from '../policy/types';
import { cookieWrites, isConfirmed, type CookieWrite } from './cookie-writes';
import { assignPhases, type PhaseResult } from './phases';

/** Everything a rule reads; derived once per scenario so rules stay small and pure. */
export interface AuditContext extends PhaseResult {
  scenario?: Scenario;
  policy: DeclaredPolicy;
  knowledge: Knowledge;
  /** Cookie writes the browser confirms (see isConfirmed); rules judge only these. */
  cookieWrites: CookieWrite[];
}

export function buildContext(
  observations: readonly Observation[],
  policy: DeclaredPolicy,
  knowledge: Knowledge,
  scenario?: Scenario,
): AuditContext {
  const phases = assignPhases(observations);
  return {
    ...phases,
    ...(scenario ? { scenario } : {}),
    policy,
    knowledge,
    cookieWrites: cookieWrites(phases.observations).filter(isConfirmed),
  };
}
