/**
 * `npm run bench`: engine speed, reported as ratios to a baseline measured in the same run, since
 * this machine is noisy (2 shared cores). Not a test: nothing here fails the build.
 *
 * - classification: cost of classifying a request URL, relative to just parsing it with `new URL()`;
 * - audit: cost of auditing a synthetic 5,000-observation visit, per observation, relative to the same baseline.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { audit } from '../lib/rules/audit.ts';
import { builtinKnowledge, createClassifier } from '../lib/knowledge/classify.ts';
import type { Observation } from '../lib/observations.ts';
import type { DeclaredPolicy } from '../lib/policy/types.ts';

const classifier = createClassifier(builtinKnowledge);
const policy = JSON.parse(
  readFileSync(new URL('../policies/o2toit.com.json', import.meta.url), 'utf8'),
) as DeclaredPolicy;
const urls = [
  'https://www.google.com/recaptcha/api.js',
  'https://region1.google-analytics.com/g/collect?v=2',
  'https://a.b.c.d.example.fr/x.js',
  'https://static.hotjar.com/c/hotjar-1.js',
  'https://www.o2toit.com/contact',
];

function time(fn: () => void, rounds = 5): number {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(rounds / 2)]!; // median
}

const N = 50_000;
const parse = time(() => {
  for (let i = 0; i < N; i++) new URL(urls[i % urls.length]!);
});
const classify = time(() => {
  for (let i = 0; i < N; i++) classifier.classifyUrl(urls[i % urls.length]!);
});

const visit: Observation[] = Array.from({ length: 5000 }, (_, i) => ({
  kind: 'request',
  seq: i + 1,
  time: 1_700_000_000_000 + i,
  tabId: 1,
  frameId: 0,
  url: urls[i % urls.length]!,
  topSite: 'o2toit.com',
  source: 'webRequest',
  requestId: String(i),
  method: 'GET',
  type: 'script',
  host: new URL(urls[i % urls.length]!).hostname,
  site: 'x',
  thirdParty: true,
}));
const auditMs = time(() => void audit(visit, policy, classifier), 3);

console.log(`URL parse baseline:        ${((parse / N) * 1e3).toFixed(2)} µs/url`);
console.log(`classifyUrl:               ${(classify / parse).toFixed(2)}× the parse baseline`);
console.log(
  `audit, per observation:    ${(auditMs / visit.length / (parse / N)).toFixed(2)}× the parse baseline (${auditMs.toFixed(1)} ms for ${visit.length})`,
);
