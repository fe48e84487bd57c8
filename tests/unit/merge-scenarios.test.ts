import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import reportSchema from '../../lib/schema/audit-report.schema.json';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { DeclaredPolicy } from '../../lib/policy/types';
import { buildReport } from '../../lib/report/build-report';
import { mergeScenarios, type ScenarioResult } from '../../lib/report/merge-scenarios';
import type { AuditReport } from '../../lib/report/types';
import { expandObservations, type CompactObservation } from '../vectors/run-vectors';

const policy = JSON.parse(
  readFileSync(new URL('../../policies/o2toit.com.json', import.meta.url), 'utf8'),
) as DeclaredPolicy;
const knowledge = createClassifier(builtinKnowledge);
const T0 = Date.parse('2026-03-10T09:00:00.000Z');
const validate = new Ajv({ allErrors: true, strict: false }).compile(reportSchema);

/** A report as the extension builds it for one tab (scenario "interactive", no scenario tags). */
function extensionReport(
  compact: CompactObservation[],
  overrides: { sha256?: string; browserVersion?: string } = {},
): AuditReport {
  return buildReport({
    observations: expandObservations(compact),
    policy,
    policySha256: overrides.sha256 ?? 'a'.repeat(64),
    knowledge,
    knowledgeInfo: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
    tool: { name: 'Consent Auditor', version: '0.1.0' },
    browser: {
      name: 'Chromium',
      version: overrides.browserVersion ?? '156.0.8078.73',
      userAgent: 'Mozilla/5.0 HeadlessChrome/156.0.0.0',
    },
    targetUrl: 'https://www.o2toit.com/',
    site: 'o2toit.com',
    startedAt: T0,
    endedAt: T0 + 10_000,
    notes: ['Cookie values are never recorded.'],
  });
}

const landing: CompactObservation[] = [
  { kind: 'request', url: 'https://www.o2toit.com/', type: 'main_frame' },
  { kind: 'request', url: 'https://www.googletagmanager.com/gtag/js?id=G-FIXTURE1', type: 'script' },
  { kind: 'cookie', name: 'o2_visitor', domain: 'o2toit.com', requestedExpiry: '2028-03-09T09:00:02.000Z' },
];
const accepted: CompactObservation[] = [
  { kind: 'request', url: 'https://www.o2toit.com/', type: 'main_frame' },
  { kind: 'consent', event: 'decision', decision: 'accept', how: 'autoconsent opt-in' },
  { kind: 'request', url: 'https://www.googletagmanager.com/gtag/js?id=G-FIXTURE1', type: 'script' },
];

function run(
  scenario: ScenarioResult['scenario'],
  report: AuditReport,
  offset: number,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult {
  return { scenario, report, startedAt: T0 + offset, endedAt: T0 + offset + 5_000, ...extra };
}

describe('mergeScenarios', () => {
  const none = extensionReport(landing);
  const accept = extensionReport(accepted);
  const merged = mergeScenarios(
    [
      run('none', none, 0, { pages: ['https://www.o2toit.com/', 'https://www.o2toit.com/contact'] }),
      run('accept', accept, 10_000, {
        consentAction: { action: 'accept', ok: true, method: 'autoconsent', platform: 'fixture-cmp' },
      }),
      run('reject', none, 20_000, { consentAction: { action: 'reject', ok: false, error: 'no banner found' } }),
    ],
    {
      targetUrl: 'https://o2toit.com',
      thirdPartyCookies: 'allowed',
      notes: ['command line: --scenario all'],
      now: T0 + 40_000,
    },
  );

  it('suffixes finding ids with their scenario and tags findings, evidence and observations', () => {
    expect(none.findings.map((f) => f.id)).toEqual(
      expect.arrayContaining([
        'cookie-lifetime-exceeds-policy:o2_visitor@o2toit.com',
        'tracker-before-consent:google-tag-manager',
      ]),
    );
    expect(merged.findings.map((f) => f.id)).toEqual([
      ...none.findings.map((f) => `${f.id}:none`),
      ...accept.findings.map((f) => `${f.id}:accept`),
      ...none.findings.map((f) => `${f.id}:reject`),
    ]);
    for (const f of merged.findings) {
      expect(f.id.endsWith(`:${f.scenario}`)).toBe(true);
      for (const e of f.evidence) expect(e.scenario).toBe(f.scenario);
    }
    const all = Object.values(merged.observations).flat();
    expect(all).toHaveLength(3 * 3);
    expect(
      all
        .filter((o) => o.scenario === 'accept')
        .map((o) => o.kind)
        .sort(),
    ).toEqual(['consent', 'request', 'request']);
    // The inputs are not mutated.
    expect(none.findings[0]!.scenario).toBeUndefined();
    expect(none.observations.requests[0]!.scenario).toBeUndefined();
  });

  it("keeps each scenario's phases as the extension computed them", () => {
    const gtm = merged.findings.filter((f) => f.rule === 'tracker-before-consent').map((f) => f.scenario);
    expect(gtm).toEqual(['none', 'reject']); // after the accept, loading the tag manager is allowed
    const phases = merged.observations.requests.filter((r) => r.scenario === 'accept').map((r) => r.phase);
    expect(phases).toEqual(['before-consent', 'after-accept']);
  });

  it('recomputes the summary over every scenario', () => {
    // Whatever rules exist, the merged summary is the sum of the three runs' (none twice, accept once).
    const parts = [none.summary, accept.summary, none.summary];
    const sum = (pick: (s: AuditReport['summary']) => number) => parts.reduce((n, s) => n + pick(s), 0);
    expect(merged.summary.findings).toBe(merged.findings.length);
    expect(merged.summary.findings).toBe(sum((s) => s.findings));
    for (const severity of ['high', 'medium', 'low', 'info'] as const) {
      expect(merged.summary.bySeverity[severity]).toBe(sum((s) => s.bySeverity[severity]));
    }
    for (const [rule, n] of Object.entries(merged.summary.byRule)) {
      expect(n).toBe(sum((s) => s.byRule[rule as keyof typeof s.byRule] ?? 0));
    }
    expect(merged.summary.byRule['tracker-before-consent']).toBe(2);
  });

  it('lists the scenarios with their pages, decision and consent action', () => {
    expect(merged.scenarios.map((s) => s.id)).toEqual(['none', 'accept', 'reject']);
    expect(merged.scenarios[0]).toMatchObject({
      pages: ['https://www.o2toit.com/', 'https://www.o2toit.com/contact'],
      startedAt: '2026-03-10T10:00:00.000+01:00',
    });
    expect(merged.scenarios[0]!.decision).toBeUndefined();
    expect(merged.scenarios[1]).toMatchObject({
      pages: ['https://www.o2toit.com/'], // default: what the extension saw
      decision: { decision: 'accept', trusted: true },
      consentAction: { action: 'accept', ok: true, method: 'autoconsent' },
    });
    expect(merged.scenarios[2]!.consentAction).toEqual({ action: 'reject', ok: false, error: 'no banner found' });
  });

  it('keeps provenance: tool, browser with its cookie setting, times, target and policy', () => {
    expect(merged.provenance).toMatchObject({
      tool: { name: 'Consent Auditor', version: '0.1.0' },
      browser: { name: 'Chromium', version: '156.0.8078.73', thirdPartyCookies: 'allowed' },
      startedAt: '2026-03-10T10:00:00.000+01:00',
      endedAt: '2026-03-10T10:00:25.000+01:00',
      targetUrl: 'https://o2toit.com',
      site: 'o2toit.com',
      policy: { id: 'o2toit.com', version: policy.version, sha256: 'a'.repeat(64) },
      notes: ['Cookie values are never recorded.', 'command line: --scenario all'],
    });
    expect(merged.generatedAt).toBe('2026-03-10T10:00:40.000+01:00');
  });

  it('validates against the published report schema', () => {
    expect(validate(merged), JSON.stringify(validate.errors)).toBe(true);
  });

  it('does not suffix twice a finding the extension already tagged', () => {
    const already = { ...none, findings: merged.findings.filter((f) => f.scenario === 'none') };
    const again = mergeScenarios([run('none', already, 0)], { targetUrl: 'x', now: T0 });
    expect(again.findings.map((f) => f.id)).toEqual(already.findings.map((f) => f.id));
    expect(() => mergeScenarios([run('accept', already, 0)], { targetUrl: 'x', now: T0 })).toThrow(
      /belongs to scenario none/,
    );
  });

  it('refuses inputs that cannot make one report', () => {
    const opts = { targetUrl: 'x', now: T0 };
    expect(() => mergeScenarios([], opts)).toThrow(/no scenario/);
    expect(() => mergeScenarios([run('none', none, 0), run('none', none, 0)], opts)).toThrow(/given twice/);
    expect(() =>
      mergeScenarios(
        [run('none', none, 0), run('accept', extensionReport(accepted, { sha256: 'b'.repeat(64) }), 0)],
        opts,
      ),
    ).toThrow(/different policies/);
    expect(() =>
      mergeScenarios(
        [run('none', none, 0), run('accept', extensionReport(accepted, { browserVersion: '155.0.1.2' }), 0)],
        opts,
      ),
    ).toThrow(/different browsers/);
  });
});
