/**
 * The journeys the regulators check, played by the real command line with the built extension
 * against two fixture sites (tests/fixtures/sites/www.o2toit.com/journeys/, described in
 * tests/fixtures/README.md): one that breaks revisit, withdrawal, easy refusal and unticked choices,
 * and one that respects them. Three runs: both sites in Chromium, the breaking one in Firefox.
 * Expectations come from the fixtures' own behaviour (their site.js), not from earlier output.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../lib/findings';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { audit } from './harness/run-cli';
import { assertValidReport } from './report-helpers';

const BREAKING = 'https://www.o2toit.com/journeys/breaking/';
const RESPECTING = 'https://www.o2toit.com/journeys/respecting/';
const JOURNEYS = ['revisit-accept', 'revisit-reject', 'withdrawal', 'layers'];
/** The journeys' own rules: none of them may fire on the respecting site. */
const JOURNEY_RULES = [
  'consent-not-remembered',
  'tracking-after-withdrawal',
  'withdrawal-not-found',
  'refusal-harder-than-acceptance',
  'pre-ticked-choices',
  'tracking-after-refusal',
];

const GA_HIT = /^https:\/\/region1\.google-analytics\.com\/g\/collect\?/;

describe('the journeys (npm run audit --scenario revisit-accept,revisit-reject,withdrawal,layers)', () => {
  let server: FixtureServer;
  let dir: string;
  let fixture: string[];

  beforeAll(async () => {
    server = await startFixtureServer();
    dir = await mkdtemp(join(tmpdir(), 'consent-auditor-journeys-'));
    fixture = ['--host-rules', server.hostResolverRules, '--ignore-https-errors', '--wait', '500'];
  });

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = async (url: string, name: string, extra: string[] = [], scenarios = JOURNEYS) => {
    const out = join(dir, `${name}.json`);
    const result = await audit([url, '--scenario', scenarios.join(','), '--out', out, ...fixture, ...extra]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as unknown;
    assertValidReport(report);
    return { ...result, report };
  };
  const of = (report: AuditReport, scenario: string) => report.findings.filter((f) => f.scenario === scenario);
  const byRule = (report: AuditReport, scenario: string, rule: string, subject?: string): Finding | undefined =>
    of(report, scenario).find((f) => f.rule === rule && (subject === undefined || f.subject.key === subject));
  const scenario = (report: AuditReport, id: string) => report.scenarios.find((s) => s.id === id)!;

  /** What the breaking site must raise, in either browser. */
  function checkBreaking(report: AuditReport, scenarios: readonly string[]) {
    if (scenarios.includes('revisit-accept')) {
      // The choice lives in memory only: the banner is back on the reload and on page 2.
      const back = byRule(report, 'revisit-accept', 'consent-not-remembered');
      expect(back?.evidence.filter((e) => e.note?.startsWith('the banner asked again'))).toHaveLength(2);
    }
    if (scenarios.includes('revisit-reject')) {
      expect(byRule(report, 'revisit-reject', 'consent-not-remembered')).toBeDefined();
      // page2 loads GA whatever was chosen: its hit comes after the refusal, on the revisit.
      const ga = byRule(report, 'revisit-reject', 'tracking-after-refusal', 'google-analytics');
      const hits = ga?.evidence.filter((e) => e.kind === 'request' && GA_HIT.test(e.url ?? '')) ?? [];
      expect(hits.length).toBeGreaterThanOrEqual(1);
      expect(hits.every((e) => e.phase === 'after-reject')).toBe(true);
    }
    if (scenarios.includes('withdrawal')) {
      const w = scenario(report, 'withdrawal');
      expect(w.decision?.decision).toBe('accept');
      expect(w.journey?.find((j) => j.goal === 'withdraw')).toMatchObject({
        done: true,
        clicked: ['Gérer mes cookies', 'Paramétrer', 'Continuer sans accepter'],
      });
      const ga = byRule(report, 'withdrawal', 'tracking-after-withdrawal', 'google-analytics');
      // The consent_update beacon the site sends on withdrawal, and the _ga cookie it keeps.
      expect(ga?.evidence.some((e) => e.phase === 'after-withdrawal' && /en=consent_update/.test(e.url ?? ''))).toBe(
        true,
      );
      expect(
        ga?.evidence.some((e) => e.kind === 'cookie' && e.name === '_ga' && /did not remove/.test(e.note ?? '')),
      ).toBe(true);
      expect(byRule(report, 'withdrawal', 'withdrawal-not-found')).toBeUndefined();
    }
    if (scenarios.includes('layers')) {
      const measured = report.observations.consent.find(
        (o) => o.scenario === 'layers' && o.event === 'banner-measured',
      );
      expect(measured?.measure?.layers[0]?.controls.map((c) => c.text)).toEqual(['Tout accepter', 'Paramétrer']);
      expect(measured?.measure?.refuse).toMatchObject({
        layer: 1,
        steps: 2,
        control: { text: 'Continuer sans accepter' },
      });
      expect(measured?.measure?.accept).toMatchObject({ layer: 0, steps: 1 });
      // site.css: the refusal is a 10 px grey link, the acceptance a 16 px button.
      expect(measured?.measure?.refuse?.control.fontSize).toBe(10);
      expect(measured?.measure?.accept?.control.fontSize).toBe(16);
      expect(byRule(report, 'layers', 'refusal-harder-than-acceptance')?.detail).toMatch(
        /no refusal on the first layer.*refusing takes 2 clicks, accepting 1/,
      );
      const ticked = measured?.measure?.layers[1]?.toggles.filter((t) => t.checked && !t.necessary).map((t) => t.label);
      expect(ticked).toEqual(["Mesure d'audience", 'Publicité personnalisée']);
      expect(byRule(report, 'layers', 'pre-ticked-choices')?.detail).toContain(
        "Mesure d'audience; Publicité personnalisée",
      );
    }
  }

  it('Chromium, breaking site, --scenario all: every journey raises its findings, and the summary has one column per scenario', async () => {
    const { report, stdout } = await run(BREAKING, 'breaking-chromium', [], ['all']);
    expect(report.scenarios.map((s) => s.id)).toEqual(['none', 'accept', 'reject', ...JOURNEYS]);
    // The three consent choices are no journeys: none of the journey-only findings there.
    const journeyOnly = [
      'consent-not-remembered',
      'tracking-after-withdrawal',
      'refusal-harder-than-acceptance',
      'pre-ticked-choices',
    ];
    for (const id of ['none', 'accept', 'reject'])
      expect(
        of(report, id)
          .filter((f) => journeyOnly.includes(f.rule))
          .map((f) => f.id),
      ).toEqual([]);
    checkBreaking(report, JOURNEYS);
    // The server saw the withdrawal's GA beacon: the evidence is no artefact of the audit.
    expect(server.hits.some((h) => h.host === 'region1.google-analytics.com' && /consent_update/.test(h.path))).toBe(
      true,
    );
    expect(stdout).toMatch(
      /rule\s+subject\s+none\s+accept\s+reject\s+revisit-accept\s+revisit-reject\s+withdrawal\s+layers\n/,
    );
    expect(stdout).toMatch(/decision\s+none\s+accepted\s+rejected\s+accepted\s+rejected\s+withdrawn\s+measured\n/);
    expect(stdout).toMatch(/high\s+refusal-harder-than-acceptance\s+consent banner(\s+-){6}\s+x\n/);
  });

  it('Chromium, respecting site: the same journeys raise none of their findings', async () => {
    const { report } = await run(RESPECTING, 'respecting-chromium');
    expect(report.findings.filter((f) => JOURNEY_RULES.includes(f.rule)).map((f) => f.id)).toEqual([]);
    // Not vacuous: each journey did what it asks of the site.
    const steps = (id: string) => scenario(report, id).journey ?? [];
    expect(steps('withdrawal').find((j) => j.goal === 'withdraw')).toMatchObject({
      done: true,
      clicked: ['Gérer mes cookies', 'Tout refuser'],
    });
    expect(
      report.observations.cookies.some(
        (c) => c.scenario === 'withdrawal' && c.name === '_ga' && c.action === 'removed',
      ),
    ).toBe(true);
    for (const id of ['revisit-accept', 'revisit-reject', 'withdrawal']) {
      expect(
        steps(id)
          .filter((j) => j.goal === 'reload' || j.goal === 'visit')
          .map((j) => j.done),
      ).toEqual([true, true]);
      expect(
        steps(id)
          .filter((j) => j.goal === 'detect')
          .map((j) => j.done),
      ).toEqual([false, false]);
    }
    const measured = report.observations.consent.find((o) => o.scenario === 'layers' && o.event === 'banner-measured');
    expect(measured?.measure?.refuse).toMatchObject({ layer: 0, steps: 1, control: { text: 'Tout refuser' } });
    expect(measured?.measure?.layers[1]?.toggles.filter((t) => t.checked).map((t) => t.label)).toEqual([
      'Cookies strictement nécessaires',
    ]);
  });

  it('Firefox, breaking site: revisit, withdrawal and the layers raise the same findings', async () => {
    const scenarios = ['revisit-reject', 'withdrawal', 'layers'];
    const { report } = await run(BREAKING, 'breaking-firefox', ['--browser', 'firefox'], scenarios);
    expect(report.provenance.browser.name).toBe('Firefox');
    checkBreaking(report, scenarios);
  });
});
