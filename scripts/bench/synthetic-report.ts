/**
 * A synthetic audit report of `count` mixed observations (the engine benchmark's corpus, judged
 * against the o2toit.com policy), for the UI benchmark and the report page's 50,000-row test.
 */
import { readFileSync } from 'node:fs';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify.ts';
import type { DeclaredPolicy } from '../../lib/policy/types.ts';
import { buildReport } from '../../lib/report/build-report.ts';
import type { AuditReport } from '../../lib/report/types.ts';
import { mixedObservations } from './corpus.ts';

const policy = JSON.parse(
  readFileSync(new URL('../../policies/o2toit.com.json', import.meta.url), 'utf8'),
) as DeclaredPolicy;

export function syntheticReport(count: number): AuditReport {
  const observations = mixedObservations(builtinKnowledge, count);
  const first = observations[0]!.time;
  const last = observations.at(-1)!.time;
  return buildReport({
    observations,
    policy,
    policySha256: '0'.repeat(64),
    knowledge: createClassifier(builtinKnowledge),
    knowledgeInfo: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
    tool: { name: 'Consent Auditor', version: 'synthetic' },
    browser: { name: 'synthetic', version: '0', userAgent: 'synthetic' },
    targetUrl: 'https://www.o2toit.com/',
    site: 'o2toit.com',
    startedAt: first,
    endedAt: last,
    now: last,
  });
}
