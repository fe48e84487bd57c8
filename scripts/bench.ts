/**
 * `npm run bench`: every performance figure against its budget, printed as a table and written to
 * bench/results.json. The machine is noisy (2 shared cores), so browser figures are ratios measured
 * side by side in one run. Not a test: a figure over budget is reported, and the exit code stays 0
 * unless BENCH_STRICT=1.
 *
 * `npm run bench -- engine classify` runs only the named suites (classify, engine, page, worker, ingestion, cli, ui).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classificationBench } from './bench/classify-bench.ts';
import { cliBench } from './bench/cli-bench.ts';
import { engineBench } from './bench/engine-bench.ts';
import { ingestionBench } from './bench/ingestion-bench.ts';
import { pageLoadBench } from './bench/page-load-bench.ts';
import type { BenchResult } from './bench/stats.ts';
import { uiBench } from './bench/ui-bench.ts';
import { workerBench } from './bench/worker-bench.ts';

const SUITES: Record<string, () => BenchResult[] | Promise<BenchResult[]>> = {
  classify: classificationBench,
  engine: engineBench,
  page: pageLoadBench,
  worker: workerBench,
  ingestion: ingestionBench,
  cli: cliBench,
  ui: uiBench,
};

const ROOT = join(import.meta.dirname, '..');
const asked = process.argv.slice(2).filter((a) => a in SUITES);
const unknown = process.argv.slice(2).filter((a) => !(a in SUITES));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}

const results: BenchResult[] = [];
for (const name of asked.length ? asked : Object.keys(SUITES)) {
  console.error(`bench: ${name}…`);
  results.push(...(await SUITES[name]!()));
}

const rows = results.map((r) =>
  'skipped' in r
    ? [r.label, 'skipped', '', r.skipped]
    : [r.label, `${r.value} ${r.unit}`, `≤ ${r.budget} ${r.unit}`, r.withinBudget ? 'ok' : 'OVER BUDGET'],
);
const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
for (const row of rows) console.log(row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell)).join('  '));

mkdirSync(join(ROOT, 'bench'), { recursive: true });
const file = join(ROOT, 'bench', 'results.json');
writeFileSync(
  file,
  JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      node: process.version,
      cpus: (await import('node:os')).cpus().length,
      results,
    },
    null,
    2,
  ) + '\n',
);
console.error(`\nwritten: ${file}`);
const over = results.filter((r) => 'withinBudget' in r && !r.withinBudget);
process.exit(process.env.BENCH_STRICT === '1' && over.length ? 1 : 0);
