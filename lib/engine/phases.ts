import type { ConsentDecision, ConsentObservation, ConsentPhase, ControlKind, Observation } from '../observations';

const PHASE_OF_DECISION = {
  accept: 'after-accept',
  reject: 'after-reject',
  custom: 'after-custom',
} as const satisfies Record<string, ConsentPhase>;

/**
 * The phase a decision opens. A withdrawal (a `reject` marked `withdrawal`, made by the withdrawal
 * journey) opens `after-withdrawal` only when consent stood (after an accept or a custom choice);
 * otherwise it is a plain refusal.
 */
function phaseOf(o: ConsentObservation, decision: ConsentDecision, current: ConsentPhase): ConsentPhase {
  if (o.withdrawal && decision === 'reject' && (current === 'after-accept' || current === 'after-custom'))
    return 'after-withdrawal';
  return PHASE_OF_DECISION[decision];
}

/** How recent a real user gesture must be to corroborate a decision only the page reports. */
export const GESTURE_WINDOW_MS = 10_000;

/**
 * How recent a real click must be for the auditor's mark in the popup to take its time: the officer
 * clicks the banner, then opens the popup and marks what they did, well within this.
 */
export const MARK_ADOPTS_CLICK_MS = 120_000;

export type Phased<O extends Observation = Observation> = O & { phase: ConsentPhase };

/**
 * The order phases follow: the time each event happened, then the order it was recorded. Not `seq`
 * alone: Firefox can deliver a request's webRequest event after a decision the extension recorded
 * meanwhile. At the same millisecond, a decision dated at a real click comes first (clickRank).
 * Each record's time is the browser's or the extension's clock, never the page's. A rule that asks
 * "before or after the decision" compares with this, so it agrees with the phases.
 */
export function eventOrder(a: Ordered, b: Ordered): number {
  return a.time - b.time || clickRank(a) - clickRank(b) || a.seq - b.seq;
}

export type Ordered = Pick<Observation, 'time' | 'seq'> & { timeSource?: string; event?: string };
/**
 * A real click, and a decision dated at one, come first among events of the same millisecond: the click's
 * time is taken before the page's own handler runs, so what that handler sends cannot precede it,
 * although its record may reach the extension first.
 */
const clickRank = (o: Ordered) => (o.timeSource === 'click' || o.event === 'user-gesture' ? 0 : 1);

/** A decision that opened a phase, and how it was established. */
export type EffectiveDecision = ConsentObservation & {
  decision: NonNullable<ConsentObservation['decision']>;
  establishedBy: string;
};

export interface PhaseResult {
  observations: Phased[];
  /** Decisions that opened a phase, in order. */
  decisions: EffectiveDecision[];
  /** Decisions that did not: page-world or page-state reports with no real gesture behind them, forgeries. */
  untrustedDecisions: Array<ConsentObservation & { why?: string }>;
}

const isDecision = (o: Observation): o is ConsentObservation =>
  o.kind === 'consent' && (o.event === 'decision' || (o.event === 'decision-stored' && !!o.needsGesture));

/**
 * Gives every observation its consent phase, walking them in `eventOrder` (returned in `seq` order).
 * Until a decision is established everything is `before-consent` ("no decision observed" counts as before consent: the CNIL treats silence as
 * refusal); each later decision opens a new phase.
 *
 * A decision is established by a trusted event (the extension's own action, the auditor's mark, a
 * real click on a known accept/refuse control), or by the page's own report of a decision (consent
 * cookie, TCF event) when a real user gesture came within GESTURE_WINDOW_MS before it, on a control
 * of the same kind (a click on "Tout refuser" never corroborates an "accept"). Otherwise a page
 * could forge an "accept" to hide its own violations. An automated action that then failed
 * (`action-result` false for the same decision) undoes the phase it opened.
 */
export function assignPhases(observations: readonly Observation[]): PhaseResult {
  const dated = adoptClicks(observations);
  // Recorded observations are almost always in order already: then the (stable) sort is skipped.
  const sorted = inOrder(dated, eventOrder) ? dated : [...dated].sort(eventOrder);
  const decisions: EffectiveDecision[] = [];
  const untrustedDecisions: Array<ConsentObservation & { why?: string }> = [];
  let phase: ConsentPhase = 'before-consent';
  let lastGesture: ConsentObservation | undefined;
  const history: ConsentPhase[] = [];
  const phased = sorted.map((o) => {
    if (o.kind === 'consent' && o.event === 'user-gesture' && o.trusted) lastGesture = o;
    if (o.kind === 'consent' && o.event === 'action-result' && o.result === false && o.decision) {
      const undone = decisions.at(-1);
      if (undone && undone.decision === o.decision && undone.source === 'extension') {
        decisions.pop();
        phase = history.pop() ?? 'before-consent';
      }
    }
    if (isDecision(o) && o.decision) {
      const recent =
        !o.trusted &&
        o.needsGesture &&
        lastGesture &&
        o.time - lastGesture.time <= GESTURE_WINDOW_MS &&
        o.time >= lastGesture.time;
      const corroborated = recent && lastGesture!.control === o.decision;
      const next = phaseOf(o, o.decision, phase);
      if (o.trusted || corroborated) {
        if (next !== phase) {
          history.push(phase);
          phase = next;
          decisions.push({
            ...o,
            // A withdrawal with no consent standing is a plain refusal.
            ...(o.withdrawal ? { withdrawal: next === 'after-withdrawal' } : {}),
            decision: o.decision,
            establishedBy: o.trusted
              ? trustedHow(o)
              : `${o.how}, corroborated by ${lastGesture!.how} ${o.time - lastGesture!.time} ms before`,
          });
        }
        lastGesture = undefined;
      } else if (o.event === 'decision' || next !== phase) {
        untrustedDecisions.push(
          recent
            ? {
                ...o,
                why: lastGesture!.control
                  ? `reported by the page itself; the real click just before it hit a ${lastGesture!.control} control, not a ${o.decision} one`
                  : 'reported by the page itself; the real click just before it hit a control of unknown meaning',
              }
            : o,
        );
      }
    } else if (o.kind === 'consent' && o.event === 'decision' && !o.trusted) {
      untrustedDecisions.push(o); // a forged message with no decision value at all
    }
    // A real click that was a decision itself is still the last real gesture: a page report
    // right after it is corroborated, or refused, against the control it hit.
    if (o.kind === 'consent' && o.event === 'decision' && isClick(o)) lastGesture = o;
    return { ...o, phase } as Phased;
  });
  const bySeq = (a: Phased, b: Phased) => a.seq - b.seq;
  return { observations: inOrder(phased, bySeq) ? phased : phased.sort(bySeq), decisions, untrustedDecisions };
}

/** How a trusted decision was made, saying where its time comes from when it is the auditor's mark. */
function trustedHow(o: ConsentObservation): string {
  if (o.adoptedClick && o.markedAt !== undefined)
    return `${o.how}, dated at the real click on ${o.adoptedClick.target} ${Math.round((o.markedAt - o.adoptedClick.time) / 1000)} s before the mark`;
  if (o.timeSource === 'mark')
    return `${o.how}; no real click on a banner control came within ${MARK_ADOPTS_CLICK_MS / 60_000} minutes before it, so the decision is dated at the mark`;
  return o.how;
}

/** The control kinds a click may have for the auditor's mark of this decision to take its time. */
const FITS: Record<ConsentDecision, readonly ControlKind[]> = {
  accept: ['accept'],
  reject: ['refuse', 'close'],
  custom: ['save', 'settings'],
};
/** The kinds of a later click that contradict a mark: the visitor changed their mind after the click. */
const CONTRADICTS: Record<ConsentDecision, readonly ControlKind[]> = {
  accept: ['refuse'],
  reject: ['accept'],
  custom: ['accept', 'refuse'],
};
const KIND_OF_DECISION = { accept: 'accept', reject: 'refuse', custom: 'save' } as const;

/** A real click seen from the isolated world (a plain gesture, or one that was a decision itself). */
const isClick = (o: Observation): o is ConsentObservation =>
  o.kind === 'consent' &&
  o.trusted &&
  o.source === 'page-state' &&
  (o.event === 'user-gesture' || (o.event === 'decision' && o.timeSource === 'click'));
const kindOfClick = (c: ConsentObservation): ControlKind | undefined =>
  c.controlKind ?? (c.event === 'decision' && c.decision ? KIND_OF_DECISION[c.decision] : undefined);

/**
 * The auditor's mark ("I refused") is dated at the real click it reports, when one came within
 * MARK_ADOPTS_CLICK_MS before it: the last click on a control of a fitting kind, or else the last
 * click on a banner control of unknown meaning, unless a later click contradicts the mark. The
 * mark then carries `markedAt` (its own time) and `adoptedClick`; otherwise it keeps its time.
 */
function adoptClicks(observations: readonly Observation[]): readonly Observation[] {
  if (!observations.some((o) => o.kind === 'consent' && o.timeSource === 'mark')) return observations;
  const clicks = observations.filter(isClick);
  return observations.map((o) => {
    if (o.kind !== 'consent' || o.timeSource !== 'mark' || !o.decision || o.adoptedClick) return o;
    const decision = o.decision;
    const before = clicks.filter(
      (c) => c.tabId === o.tabId && eventOrder(c, o) < 0 && o.time - c.time <= MARK_ADOPTS_CLICK_MS,
    );
    const fitting = lastOf(before, (c) => FITS[decision].includes(kindOfClick(c)!));
    const chosen = fitting ?? lastOf(before, (c) => kindOfClick(c) === undefined && !!c.inBanner);
    if (!chosen) return o;
    const contradicted = before.some(
      (c) => eventOrder(c, chosen) > 0 && CONTRADICTS[decision].includes(kindOfClick(c)!),
    );
    if (contradicted) return o;
    return {
      ...o,
      time: chosen.time,
      markedAt: o.time,
      adoptedClick: { time: chosen.time, target: chosen.selector ?? 'a control' },
      timeSource: 'click' as const,
    };
  });
}

function lastOf<T>(list: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return list[i];
  return undefined;
}

/** Whether a list is already sorted by `compare`, so a stable sort would leave it as it is. */
function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}
