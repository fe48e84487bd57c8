/**
 * The command line as a newcomer meets it: `npm run demo` (every scenario), wall time. The figure
 * stands only if the demo's report holds every scenario of `--scenario all`: a demo cut down to
 * fewer scenarios must not pass for the whole one.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import type { AuditReport } from '../../lib/report/types.ts';
import { SCENARIOS } from '../cli/parse-args.ts';
import { figure, type BenchResult } from './stats.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const LABEL = `npm run demo, all ${SCENARIOS.length} scenarios`;

export function cliBench(): BenchResult[] {
  const start = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: process.env.CI ?? '' },
  });
  const seconds = (performance.now() - start) / 1000;
  const skipped = (reason: string): BenchResult[] => [{ id: 'cli-demo', label: LABEL, skipped: reason }];
  if (run.status !== 0) return skipped(`demo exited ${run.status}: ${run.stderr.trim().split('\n').at(-1)}`);
  const path = /^Report: (.+)$/m.exec(run.stdout)?.[1];
  if (!path) return skipped('the demo printed no report path');
  const played = (JSON.parse(readFileSync(resolve(ROOT, path), 'utf8')) as AuditReport).scenarios.map((s) => s.id);
  if (SCENARIOS.some((s) => !played.includes(s)))
    return skipped(`the demo played ${played.join(', ')}, not all of ${SCENARIOS.join(', ')}`);
  return [figure('cli-demo', `${LABEL} (wall)`, seconds, 's', 30)];
}
