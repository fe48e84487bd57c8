/**
 * The engine over long sessions: `buildReport()` (phases, cookie pairing, every rule, the report)
 * over 50,000 mixed observations, and its growth from 5,000 to 50,000 (linear means at most 12×).
 */
import { readFileSync } from 'node:fs';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify.ts';
import type { DeclaredPolicy } from '../../lib/policy/types.ts';
import { buildReport } from '../../lib/report/build-report.ts';
import { mixedObservations } from './corpus.ts';
import { figure, timeMedian, type BenchResult } from './stats.ts';

const policy = JSON.parse(
  readFileSync(new URL('../../policies/o2toit.com.json', import.meta.url), 'utf8'),
) as DeclaredPolicy;

function reportMs(count: number): number {
  // As the report gets them: read back from storage.local (the extension) or received as JSON (the
  // command line), so deserialised objects, not the corpus builder's own.
  const observations = structuredClone(mixedObservations(builtinKnowledge, count));
  const knowledge = createClassifier(builtinKnowledge);
  const first = observations[0]!.time;
  const last = observations.at(-1)!.time;
  return timeMedian(
    () =>
      void buildReport({
        observations,
        policy,
        policySha256: '0'.repeat(64),
        knowledge,
        knowledgeInfo: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
        tool: { name: 'consent-auditor', version: 'bench' },
        browser: { name: 'bench', version: '0', userAgent: 'bench' },
        targetUrl: 'https://www.o2toit.com/',
        site: 'o2toit.com',
        startedAt: first,
        endedAt: last,
        now: last,
      }),
    3,
  );
}

export function engineBench(): BenchResult[] {
  const small = reportMs(5_000);
  const large = reportMs(50_000);
  return [
    figure('engine-50k', 'Report over 50,000 mixed observations', large, 'ms', 300),
    figure('engine-linearity', 'Report time, 50,000 / 5,000 observations', large / small, '×', 12, {
      ms5k: small,
      ms50k: large,
    }),
  ];
}
