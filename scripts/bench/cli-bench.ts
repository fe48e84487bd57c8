/** The command line as a newcomer meets it: `npm run demo` (every scenario), wall time. */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { figure, type BenchResult } from './stats.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export function cliBench(): BenchResult[] {
  const start = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: process.env.CI ?? '' },
  });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) {
    return [
      {
        id: 'cli-demo',
        label: 'npm run demo, all scenarios',
        skipped: `demo exited ${run.status}: ${run.stderr.trim().split('\n').at(-1)}`,
      },
    ];
  }
  return [figure('cli-demo', 'npm run demo, all scenarios (wall)', seconds, 's', 30)];
}
