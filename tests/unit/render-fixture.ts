/**
 * A rich report for the renderer tests: a generated visit of the o2toit fixture (cookies, storage,
 * trackers, consent) built by the real engine, so rows are computed from the engine's own output.
 */
import { builtinKnowledge } from '../../lib/knowledge/classify';
import { buildReport } from '../../lib/report/build-report';
import type { AuditReport } from '../../lib/report/types';
import { mixedObservations } from '../../scripts/bench/corpus';
import { reportInput } from './report-input';

let cached: AuditReport | undefined;

/** The same report each call (a deep copy: tests may change theirs). */
export function richReport(): AuditReport {
  cached ??= buildReport(reportInput(mixedObservations(builtinKnowledge, 400)));
  return structuredClone(cached);
}

export { parseCsv } from './csv-parse';
