import type { ConsentObservation, ConsentPhase, Observation } from '../observations';

const PHASE_OF_DECISION = {
  accept: 'after-accept',
  reject: 'after-reject',
  custom: 'after-custom',
} as const satisfies Record<string, ConsentPhase>;

export type Phased<O extends Observation = Observation> = O & { phase: ConsentPhase };

export interface PhaseResult {
  observations: Phased[];
  /** Trusted decisions, in order; each opened a new phase. */
  decisions: ConsentObservation[];
  /** Decisions reported by an untrusted channel: listed in the report, never used to open a phase. */
  untrustedDecisions: ConsentObservation[];
}

/**
 * Gives every observation its consent phase. Until a trusted decision is seen everything is
 * `before-consent` ("no decision observed" counts as before consent, as CNIL treats silence as
 * refusal); each later decision opens a new phase. Untrusted (page-world) decisions never move the
 * phase: otherwise a page could forge an "accept" to hide its own violations.
 */
export function assignPhases(observations: readonly Observation[]): PhaseResult {
  const sorted = [...observations].sort((a, b) => a.seq - b.seq);
  const decisions: ConsentObservation[] = [];
  const untrustedDecisions: ConsentObservation[] = [];
  let phase: ConsentPhase = 'before-consent';
  const phased = sorted.map((o) => {
    if (o.kind === 'consent' && o.event === 'decision' && o.decision) {
      if (o.trusted) {
        phase = PHASE_OF_DECISION[o.decision];
        decisions.push(o);
      } else {
        untrustedDecisions.push(o);
      }
    }
    return { ...o, phase } as Phased;
  });
  return { observations: phased, decisions, untrustedDecisions };
}
