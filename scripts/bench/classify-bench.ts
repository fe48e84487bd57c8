/**
 * Per-request classification, as the request collector and the engine do it for every request:
 * parse the URL, registrable domain, first or third party, then the knowledge base (and the imported
 * filter lists, when loaded). Each call is timed on its own, so the median and p99 are per request.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify.ts';
import { filterListClassifier } from '../../lib/knowledge/filter-list.ts';
import { createLayeredClassifier } from '../../lib/knowledge/layered.ts';
import { isThirdParty, siteOf } from '../../lib/site.ts';
import { requestUrls } from './corpus.ts';
import { figure, median, quantile, type BenchResult } from './stats.ts';

const CORPUS_SIZE = 10_000;
const EASYPRIVACY = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'easyprivacy', 'easyprivacy.txt');

type UrlClassifier = { classifyUrl(url: string, context?: { type?: string; sourceUrl?: string }): unknown };

/** Nanosecond timings of one pass over the corpus, each request timed alone. */
function perRequest(classifier: UrlClassifier, urls: readonly string[]): number[] {
  const out: number[] = [];
  for (const url of urls) {
    const start = process.hrtime.bigint();
    const host = new URL(url).hostname;
    siteOf(host);
    isThirdParty(host, 'o2toit.com');
    classifier.classifyUrl(url, { type: 'script', sourceUrl: 'https://www.o2toit.com/' });
    out.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return out;
}

export function classificationBench(): BenchResult[] {
  const urls = requestUrls(builtinKnowledge, CORPUS_SIZE);
  const builtin = createClassifier(builtinKnowledge);
  perRequest(builtin, urls); // warm-up: JIT, tldts caches
  const us = perRequest(builtin, urls);
  const results: BenchResult[] = [
    figure('classify-median', 'Per-request classification, built-in knowledge: median', median(us), 'µs', 5, {
      corpus: urls.length,
    }),
    figure('classify-p99', 'Per-request classification, built-in knowledge: p99', quantile(us, 0.99), 'µs', 50, {
      corpus: urls.length,
    }),
  ];
  if (!existsSync(EASYPRIVACY)) {
    results.push({
      id: 'classify-easyprivacy-median',
      label: 'Per-request classification with EasyPrivacy',
      skipped: `no ${EASYPRIVACY} (../shared/data is absent on this clone)`,
    });
    return results;
  }
  const layered = createLayeredClassifier([
    builtin,
    filterListClassifier(readFileSync(EASYPRIVACY, 'utf8'), { name: 'easyprivacy.txt' }),
  ]);
  const buildStart = process.hrtime.bigint();
  layered.classifyUrl('https://warm.example/', { type: 'script' }); // builds the filter engine
  const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
  // A second corpus (another seed): the list's cache must not answer from the warm-up pass.
  perRequest(layered, requestUrls(builtinKnowledge, CORPUS_SIZE, 99));
  const withList = perRequest(layered, requestUrls(builtinKnowledge, CORPUS_SIZE, 3));
  results.push(
    figure(
      'classify-easyprivacy-median',
      'Per-request classification with EasyPrivacy loaded: median',
      median(withList),
      'µs',
      15,
      { corpus: CORPUS_SIZE, p99: quantile(withList, 0.99), filterEngineBuildMs: buildMs },
    ),
  );
  return results;
}
