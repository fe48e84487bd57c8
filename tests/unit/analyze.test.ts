import { describe, expect, it } from 'vitest';
import { analyze } from '../../lib/engine/analyze';
import { contextsOf } from '../../lib/engine/context';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import { parseFilterList } from '../../lib/knowledge/filter-list';
import type { Knowledge } from '../../lib/knowledge/types';
import type { Observation } from '../../lib/observations';
import { buildReport } from '../../lib/report/build-report';
import { auditAnalysis } from '../../lib/rules/audit';
import { mixedObservations } from '../../scripts/bench/corpus';
import { policyFor } from '../vectors/run-vectors';

const policy = policyFor(undefined);

/** A knowledge source that counts how often each subject is asked about. */
function counting(inner: Knowledge) {
  const asked = {
    urls: new Map<string, number>(),
    cookies: new Map<string, number>(),
    storage: new Map<string, number>(),
  };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const knowledge: Knowledge = {
    ...inner,
    classifyUrl: (url, ctx) => (bump(asked.urls, `${ctx?.type} ${ctx?.sourceUrl} ${url}`), inner.classifyUrl(url, ctx)),
    classifyCookie: (name, domain) => (bump(asked.cookies, `${name}@${domain}`), inner.classifyCookie(name, domain)),
    classifyStorageKey: (key, origin) => (
      bump(asked.storage, `${key}@${origin}`),
      inner.classifyStorageKey(key, origin)
    ),
  };
  return { knowledge, asked };
}

describe('analyze', () => {
  it('classifies each distinct request, cookie and storage subject once, however many rules ask', () => {
    const observations = mixedObservations(builtinKnowledge, 4_000);
    const { knowledge, asked } = counting(createClassifier(builtinKnowledge));
    const report = buildReport({
      observations,
      policy,
      policySha256: '0'.repeat(64),
      knowledge,
      knowledgeInfo: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
      tool: { name: 'consent-auditor', version: 'test' },
      browser: { name: 'test', version: '0', userAgent: 'test' },
      targetUrl: 'https://www.o2toit.com/',
      site: 'o2toit.com',
      startedAt: observations[0]!.time,
      endedAt: observations.at(-1)!.time,
    });
    // The rules did ask: the corpus has trackers before and after the refusal.
    expect(report.findings.length).toBeGreaterThan(10);
    const requests = observations.filter((o) => o.kind === 'request');
    expect(asked.urls.size).toBeGreaterThan(100);
    expect(asked.urls.size).toBeLessThan(requests.length);
    for (const map of [asked.urls, asked.cookies, asked.storage]) {
      expect(map.size).toBeGreaterThan(0);
      expect([...map.values()].every((n) => n === 1)).toBe(true);
    }
  });

  it('keeps requests of different types apart: a filter may match one type only', () => {
    const parsed = parseFilterList('||pixel.example^$script\n', 'list.txt');
    if (!parsed.ok) throw new Error('filter list');
    const a = analyze([], policy, parsed.classifier);
    const page = 'https://www.o2toit.com/';
    expect(a.classify.url('https://pixel.example/p.js', 'script', page)?.source).toBe('filter-list');
    expect(a.classify.url('https://pixel.example/p.js', 'image', page)).toBeUndefined();
    expect(a.classify.url('https://pixel.example/p.js', 'script', page)?.source).toBe('filter-list');
  });

  it('phases a single-scenario session once; each scenario of a merged session gets its own timeline', () => {
    const one = mixedObservations(builtinKnowledge, 2_000);
    const single = analyze(one, policy, createClassifier(builtinKnowledge));
    expect(single.timelines).toHaveLength(1);
    expect(single.timelines[0]!.observations).toBe(single.observations);
    expect(single.timelines[0]!.cookieWrites).toBe(single.cookieWrites);

    // Two runs, each with its own refusal: the second run's observations start before-consent again.
    const second = one.map((o) => ({ ...o, seq: o.seq + one.length, scenario: 'reject' as const }));
    const both: Observation[] = [...one.map((o) => ({ ...o, scenario: 'none' as const })), ...second];
    const merged = analyze(both, policy, createClassifier(builtinKnowledge));
    expect(merged.timelines.map((t) => t.scenario)).toEqual(['none', 'reject']);
    for (const t of merged.timelines) {
      expect(t.observations).toHaveLength(one.length);
      expect(t.decisions).toHaveLength(1);
      expect(t.observations[0]!.phase).toBe('before-consent');
    }
    // The rules see one context per timeline, and find the same in both runs.
    expect(contextsOf(merged)).toHaveLength(2);
    const { findings } = auditAnalysis(merged);
    const ids = (s: string) =>
      findings
        .filter((f) => f.scenario === s)
        .map((f) => f.id.replace(/:[a-z]+$/, ''))
        .sort();
    expect(ids('none').length).toBeGreaterThan(0);
    expect(ids('reject')).toEqual(ids('none'));
  });
});
