import type { EffectiveDecision } from '../engine/phases';
import { isoTime } from '../time';
import type { DecisionRecord } from './types';

/** A decision as the report states it: what, when, how, and where its time comes from. */
export function decisionRecord(d: EffectiveDecision): DecisionRecord {
  return {
    decision: d.decision,
    time: isoTime(d.time),
    how: d.establishedBy,
    trusted: d.trusted,
    timeSource: d.timeSource ?? (d.source === 'extension' ? 'extension-action' : 'page-report'),
    ...(d.adoptedClick ? { click: { target: d.adoptedClick.target, time: isoTime(d.adoptedClick.time) } } : {}),
    ...(d.markedAt !== undefined ? { markedAt: isoTime(d.markedAt) } : {}),
  };
}
