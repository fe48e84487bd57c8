import type { Classification, RequestContext, Vendor } from '../knowledge/types';
import type { Observation, Scenario } from '../observations';
import type { DeclaredPolicy } from '../policy/types';
import { cookieWrites, isConfirmed, type CookieWrite } from './cookie-writes';
import { assignPhases, type PhaseResult } from './phases';

/** What the engine needs from a knowledge base: classification of URLs, cookies and storage keys. */
export interface Knowledge {
  /** `context` helps sources that judge a request by its type and page (filter lists). */
  classifyUrl(url: string, context?: RequestContext): Classification | undefined;
  classifyCookie(name: string, domain: string): Classification | undefined;
  classifyStorageKey(key: string, origin?: string): Classification | undefined;
  vendor(id: string): Vendor | undefined;
}

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
