/**
 * The report page's timeline, as data: observations counted into a bounded number of time bins per
 * lane (cookies, storage, requests), the consent phases as bands and the consent moments as marks.
 * Whatever the number of observations, the drawing has at most `bins × lanes` bars. Pure.
 */
import type { ConsentPhase } from '../observations';
import type { AuditReport } from './types';

export const LANES = ['cookies', 'storage', 'requests'] as const;
export type Lane = (typeof LANES)[number];

export interface PhaseBand {
  phase: ConsentPhase;
  from: number;
  to: number;
}

export interface ConsentMark {
  time: number;
  decision: string;
  trusted: boolean;
}

export interface Timeline {
  start: number;
  end: number;
  binMs: number;
  /** Counts per lane, one entry per bin. */
  counts: Record<Lane, number[]>;
  /** The largest count of any bin, for scaling. */
  max: number;
  bands: PhaseBand[];
  marks: ConsentMark[];
  total: number;
}

const PHASE_OF: Record<string, ConsentPhase> = {
  accept: 'after-accept',
  reject: 'after-reject',
  custom: 'after-custom',
};

/** Bins the report's observations into `bins` equal spans of its session. */
export function timelineOf(
  report: Pick<AuditReport, 'observations' | 'scenarios' | 'provenance'>,
  bins: number,
): Timeline {
  const o = report.observations;
  let start = Date.parse(report.provenance.startedAt);
  let end = Date.parse(report.provenance.endedAt);
  for (const lane of LANES)
    for (const x of o[lane]) {
      if (!(x.time >= start)) start = x.time;
      if (!(x.time <= end)) end = x.time;
    }
  if (!Number.isFinite(start)) start = 0;
  if (!Number.isFinite(end) || end <= start) end = start + 1;
  const n = Math.max(1, Math.floor(bins));
  const binMs = (end - start) / n;
  const counts = {} as Record<Lane, number[]>;
  let max = 0;
  let total = 0;
  for (const lane of LANES) {
    const row = new Array<number>(n).fill(0);
    for (const x of o[lane]) {
      const i = Math.min(n - 1, Math.max(0, Math.floor((x.time - start) / binMs)));
      row[i]!++;
    }
    for (const c of row) if (c > max) max = c;
    total += o[lane].length;
    counts[lane] = row;
  }
  const bands: PhaseBand[] = [];
  const marks: ConsentMark[] = [];
  for (const run of report.scenarios) {
    const runStart = Math.max(start, Date.parse(run.startedAt) || start);
    const runEnd = Math.min(end, Date.parse(run.endedAt) || end);
    const decisions = [run.decision, ...(run.laterDecisions ?? [])].filter((d) => d !== undefined);
    let from = runStart;
    let phase: ConsentPhase = 'before-consent';
    for (const d of decisions) {
      const at = Date.parse(d.time);
      marks.push({ time: at, decision: d.decision, trusted: d.trusted });
      if (at > from) bands.push({ phase, from, to: at });
      from = Math.max(from, at);
      phase = PHASE_OF[d.decision] ?? phase;
    }
    if (runEnd > from) bands.push({ phase, from, to: runEnd });
  }
  return { start, end, binMs, counts, max, bands, marks, total };
}
