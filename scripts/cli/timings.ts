/**
 * Where a scripted audit's wall time goes (`npm run demo -- --timings`, or CONSENT_AUDITOR_TIMINGS=1
 * for `npm run audit`): each phase (build, browser launch, page load, settle, consent choice, report,
 * close) is timed per scenario and summed in a table on stderr at the end. Off, it records nothing.
 */
import { performance } from 'node:perf_hooks';

export const TIMINGS_ENV = 'CONSENT_AUDITOR_TIMINGS';

interface Span {
  lane: string;
  phase: string;
  start: number;
  end: number;
}

const spans: Span[] = [];
const origin = performance.now();

export const timingsOn = (): boolean => process.env[TIMINGS_ENV] === '1';

/** Runs `work`, recording how long it took under `lane` (a scenario, or `audit`) and `phase`. */
export async function timed<T>(lane: string, phase: string, work: () => Promise<T> | T): Promise<T> {
  if (!timingsOn()) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    spans.push({ lane, phase, start, end: performance.now() });
  }
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** One line per lane: its span from first start to last end, then each phase's total and count. */
export function timingsTable(): string {
  const lanes = [...new Set(spans.map((x) => x.lane))];
  const lines = [`timings (from process start + ${s(origin)}):`];
  for (const lane of lanes) {
    const own = spans.filter((x) => x.lane === lane);
    const first = Math.min(...own.map((x) => x.start)) - origin;
    const last = Math.max(...own.map((x) => x.end)) - origin;
    const phases = new Map<string, { ms: number; n: number }>();
    for (const x of own) {
      const p = phases.get(x.phase) ?? { ms: 0, n: 0 };
      p.ms += x.end - x.start;
      p.n += 1;
      phases.set(x.phase, p);
    }
    const detail = [...phases].map(([phase, p]) => `${phase} ${s(p.ms)}${p.n > 1 ? ` (${p.n}×)` : ''}`).join(', ');
    lines.push(`  ${lane.padEnd(15)} ${s(first)} → ${s(last)}: ${detail}`);
  }
  return lines.join('\n');
}
