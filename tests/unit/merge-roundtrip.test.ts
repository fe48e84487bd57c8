/**
 * The command line's merged report carries everything the per-scenario reports carry. The check is
 * generic: every top-level field, every field of a scenario's run, every observation, finding,
 * error and provenance field of each per-scenario report must be found in the merged report, so a
 * field added to the report later is caught here without editing this test.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import reportSchema from '../../lib/schema/audit-report.schema.json';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { DeclaredPolicy } from '../../lib/policy/types';
import { buildReport } from '../../lib/report/build-report';
import { mergeScenarios, type ScenarioResult } from '../../lib/report/merge-scenarios';
import type { AuditReport } from '../../lib/report/types';
import { RULES } from '../../lib/rules';
import { expandObservations, type CompactObservation } from '../vectors/run-vectors';

const policy = JSON.parse(
  readFileSync(new URL('../../policies/o2toit.com.json', import.meta.url), 'utf8'),
) as DeclaredPolicy;
const knowledge = createClassifier(builtinKnowledge);
const T0 = Date.parse('2026-03-10T09:00:00.000Z');
const validate = new Ajv({ allErrors: true, strict: false }).compile(reportSchema);

function report(compact: CompactObservation[], failingRule = false): AuditReport {
  return buildReport({
    observations: expandObservations(compact),
    policy,
    policySha256: 'a'.repeat(64),
    knowledge,
    knowledgeInfo: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
    tool: { name: 'Consent Auditor', version: '0.1.0' },
    browser: { name: 'Chromium', version: '156.0.8078.73', userAgent: 'Mozilla/5.0 HeadlessChrome/156.0.0.0' },
    targetUrl: 'https://www.o2toit.com/',
    site: 'o2toit.com',
    startedAt: T0,
    endedAt: T0 + 60_000,
    notes: ['Cookie values are never recorded.'],
    ...(failingRule
      ? {
          auditOptions: {
            ruleTable: {
              ...RULES,
              'unclassified-cookie': () => {
                throw new Error('injected');
              },
            },
          },
        }
      : {}),
  });
}

/** A run with every optional part: later decisions, untrusted signals, a refused cookie, an error. */
const rich: CompactObservation[] = [
  { kind: 'request', url: 'https://www.o2toit.com/', type: 'main_frame' },
  { kind: 'consent', event: 'decision', decision: 'accept', how: 'forged', trusted: false, source: 'page-hook' },
  { kind: 'consent', event: 'decision', decision: 'accept', how: 'auditor mark in popup' },
  { kind: 'consent', event: 'decision', decision: 'reject', how: 'auditor mark in popup' },
  {
    kind: 'cookie',
    name: '_ga',
    domain: 'example.org',
    requestedExpiry: '2028-03-10T09:00:00Z',
    refused: 'Domain=example.org does not cover www.o2toit.com: the browser refuses it',
  },
  { kind: 'cookie', name: 'o2_visitor', domain: 'o2toit.com', requestedExpiry: '2028-03-09T09:00:02.000Z' },
  { kind: 'request', url: 'https://www.googletagmanager.com/gtag/js?id=G-FIXTURE1', type: 'script' },
];
const plain: CompactObservation[] = [
  { kind: 'request', url: 'https://www.o2toit.com/', type: 'main_frame' },
  { kind: 'request', url: 'https://www.googletagmanager.com/gtag/js?id=G-FIXTURE1', type: 'script' },
];

const deepIncludes = (list: readonly unknown[], item: unknown) =>
  list.some((x) => JSON.stringify(x) === JSON.stringify(item));

/** Every field of `own` (one scenario's report) found in `merged`, as merging promises. */
function missingFrom(merged: AuditReport, own: AuditReport, r: ScenarioResult, index: number): string[] {
  const missing: string[] = [];
  const tag = <T extends object>(o: T) => ({ ...o, scenario: r.scenario });
  for (const [key, value] of Object.entries(own)) {
    const there = (merged as unknown as Record<string, unknown>)[key];
    switch (key) {
      case 'schemaVersion':
      case 'generatedAt':
      case 'summary': // recomputed: checked by merge-scenarios.test.ts
        if (there === undefined) missing.push(key);
        break;
      case 'provenance':
        for (const [k, v] of Object.entries(own.provenance)) {
          const m = (merged.provenance as unknown as Record<string, unknown>)[k];
          if (k === 'notes')
            (v as string[]).forEach((n) => !merged.provenance.notes.includes(n) && missing.push(`notes: ${n}`));
          else if (k === 'browser')
            Object.entries(v as object).forEach(
              ([bk, bv]) =>
                JSON.stringify((m as Record<string, unknown>)[bk]) !== JSON.stringify(bv) &&
                missing.push(`provenance.browser.${bk}`),
            );
          else if (!['startedAt', 'endedAt', 'targetUrl'].includes(k) && JSON.stringify(m) !== JSON.stringify(v))
            missing.push(`provenance.${k}`);
        }
        break;
      case 'scenarios':
        for (const [k, v] of Object.entries(own.scenarios[0]!)) {
          if (['id', 'startedAt', 'endedAt', 'pages'].includes(k)) continue;
          const m = (merged.scenarios[index] as unknown as Record<string, unknown>)[k];
          if (JSON.stringify(m) !== JSON.stringify(v)) missing.push(`scenarios[${index}].${k}`);
        }
        break;
      case 'observations':
        for (const [k, list] of Object.entries(own.observations))
          for (const o of list as object[])
            if (!deepIncludes(merged.observations[k as keyof AuditReport['observations']] ?? [], tag(o)))
              missing.push(`observations.${k} seq ${(o as { seq: number }).seq}`);
        break;
      case 'findings':
        for (const f of own.findings) {
          const m = merged.findings.find((x) => x.id === `${f.id}:${r.scenario}`);
          if (
            !m ||
            JSON.stringify({
              ...m,
              id: f.id,
              scenario: undefined,
              evidence: m.evidence.map((e) => ({ ...e, scenario: undefined })),
            }) !==
              JSON.stringify({
                ...f,
                scenario: undefined,
                evidence: f.evidence.map((e) => ({ ...e, scenario: undefined })),
              })
          )
            missing.push(`finding ${f.id}`);
        }
        break;
      case 'errors':
        for (const e of own.errors)
          if (
            !merged.errors.some(
              (m) => m.reason === e.reason && m.part.startsWith(e.part) && m.part.includes(r.scenario),
            )
          )
            missing.push(`error ${e.part}`);
        break;
      default:
        // Any other field, present or future: arrays carried item by item (as is, or tagged with
        // their scenario), anything else as is.
        if (Array.isArray(value)) {
          for (const item of value) {
            const carried =
              Array.isArray(there) &&
              (deepIncludes(there, item) || (typeof item === 'object' && deepIncludes(there, tag(item as object))));
            if (!carried) missing.push(`${key}[]`);
          }
        } else if (JSON.stringify(there) !== JSON.stringify(value)) missing.push(key);
    }
  }
  return missing;
}

describe('merged report round trip', () => {
  const none = report(plain);
  const accept = report(rich, true);
  // A field a later version adds to the report: the merge must carry it without being told.
  (accept as unknown as Record<string, unknown>).futureField = [{ added: 'later' }];
  const results: ScenarioResult[] = [
    { scenario: 'none', report: none, startedAt: T0, endedAt: T0 + 5_000 },
    { scenario: 'accept', report: accept, startedAt: T0 + 10_000, endedAt: T0 + 15_000 },
  ];
  const merged = mergeScenarios(results, { targetUrl: 'https://o2toit.com', now: T0 + 20_000 });

  it('the per-scenario reports have every optional part to carry', () => {
    const run = accept.scenarios[0]!;
    expect(run.untrustedSignals?.length).toBeGreaterThan(0);
    expect(run.laterDecisions?.length).toBeGreaterThan(0);
    expect(accept.policyGaps?.length).toBeGreaterThan(0);
    expect(accept.refusedCookies?.map((c) => c.name)).toEqual(['_ga']);
    expect(accept.errors.map((e) => e.part)).toEqual(['rule unclassified-cookie']);
  });

  it('carries every field of every per-scenario report, field by field', () => {
    results.forEach((r, i) => expect(missingFrom(merged, r.report, r, i)).toEqual([]));
  });

  it('validates against the published schema (once the test-only field is removed)', () => {
    const { futureField: _, ...published } = merged as unknown as Record<string, unknown>;
    expect(validate(published), JSON.stringify(validate.errors)).toBe(true);
  });
});
