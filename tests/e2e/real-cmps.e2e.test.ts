/**
 * Real consent libraries, installed from npm and configured as each documents
 * (tests/fixtures/sites/www.o2toit.com/real-cmps/): `npm run audit` plays no action, accept,
 * reject, both revisits, the withdrawal and the layers journey on each, in one run per library, in
 * Chromium and in Firefox. Each run must name the platform, make the choice
 * through the extension, store the library's own consent cookie with that choice (read from the
 * Cookie header the browser sends on the next page), report the decision it read from that cookie,
 * raise exactly the findings the page's planted facts call for (real-cmps.ts), and never flag the
 * consent cookie. The withdrawal goes through the page's footer control ("Gérer mes cookies", which
 * calls the library's own way to reopen its choices), found by the product by its label.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { expectedCookies, expectedFindings, type Action } from './consent-expectations';
import { audit } from './harness/run-cli';
import { REAL_CMPS, revisitFindings, withdrawalFindings, type RealCmp } from './real-cmps';
import { assertValidReport } from './report-helpers';

const ACTIONS: Action[] = ['none', 'accept', 'reject'];
/**
 * The journeys that apply, each judged against the run of the same choice: a library that remembers
 * the choice keeps its banner away on the reload and the second page, so a revisit raises the
 * findings of its choice (plus, after a refusal, the reloaded violation: revisitFindings), and
 * measuring the layers (no choice) exactly those of no action. The withdrawal is checked apart
 * (checkWithdrawal).
 */
const JOURNEYS: Record<string, Action> = { 'revisit-accept': 'accept', 'revisit-reject': 'reject', layers: 'none' };

/** Every value of `name` in the Cookie headers the fixture server received for www.o2toit.com. */
function sentValues(server: FixtureServer, name: string, since: number): string[] {
  return server.hits
    .filter((h) => h.host === 'www.o2toit.com' && h.time >= since && typeof h.headers.cookie === 'string')
    .flatMap((h) =>
      (h.headers.cookie as string)
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part.startsWith(`${name}=`))
        .map((part) => part.slice(name.length + 1)),
    );
}

/** The run's findings without their scenario suffix, sorted by id, in the shape of expectedFindings. */
const findingsOf = (report: AuditReport, scenario: string) =>
  report.findings
    .filter((f) => f.scenario === scenario)
    .map((f) => ({ id: f.id.slice(0, -`:${scenario}`.length), rule: f.rule, subject: f.subject.key, phase: f.phase }))
    .sort((a, b) => a.id.localeCompare(b.id));

function checkJourneys(report: AuditReport, cmp: RealCmp): void {
  for (const [journey, action] of Object.entries(JOURNEYS)) {
    const scenario = report.scenarios.find((s) => s.id === journey)!;
    const steps = scenario.journey ?? [];
    expect(findingsOf(report, journey), journey).toEqual(revisitFindings(cmp, action));
    if (action === 'none') {
      expect(
        steps.map((s) => [s.goal, s.done]),
        journey,
      ).toEqual([['measure', true]]);
      continue;
    }
    expect(scenario.consentAction, journey).toMatchObject({ action, ok: true });
    expect(scenario.decision, journey).toMatchObject({ decision: action, trusted: true });
    // Chosen, reloaded, second page visited; the banner never came back.
    expect(
      steps.filter((s) => s.goal !== 'detect').map((s) => [s.goal, s.done]),
      journey,
    ).toEqual([
      [action === 'accept' ? 'accept' : 'refuse', true],
      ['reload', true],
      ['visit', true],
    ]);
    expect(
      steps.filter((s) => s.goal === 'detect' && s.done),
      journey,
    ).toEqual([]);
  }
}

/** The choices the library's cookie recorded in `scenario`'s `phase`, as the browser sent them back to the site. */
function sentChoices(
  report: AuditReport,
  cmp: RealCmp,
  server: FixtureServer,
  since: number,
  scenario: string,
  phase: string,
) {
  const own = report.observations.cookies.filter(
    (c) => c.scenario === scenario && c.action === 'set' && c.name === cmp.consentCookie.name && c.phase === phase,
  );
  expect(own.length, `${cmp.page} ${scenario}`).toBeGreaterThan(0);
  // The report redacts values but keeps their length, which picks this scenario's value among those
  // the browser sent back to the site (tarteaucitron's `!gtag=wait` of another run can share the
  // length: only values that record a choice count).
  const length = own.at(-1)!.valueLength;
  return sentValues(server, cmp.consentCookie.name, since)
    .filter((v) => v.length === length)
    .map((v) => cmp.consentCookie.choice(v))
    .filter((c) => c !== undefined);
}

/** The decisions the report read from the library's own cookie in `scenario`, with their phases. */
const storedDecisions = (report: AuditReport, cmp: RealCmp, scenario: string) =>
  report.observations.consent
    .filter((c) => c.scenario === scenario && c.event === 'decision-stored' && c.platform === cmp.storedBy)
    .map((c) => [c.decision, c.phase]);

/**
 * Accept, then withdraw through the footer control: the product finds it by its label, the library's
 * reopened choices are refused, its cookie then holds the refusal (as the browser sends it back) and
 * the report reads that refusal from it; what the page still does after the withdrawal is
 * tracking-after-withdrawal, exactly as the facts say (withdrawalFindings).
 */
function checkWithdrawal(report: AuditReport, cmp: RealCmp, server: FixtureServer, since: number): void {
  const label = `${cmp.page} withdrawal`;
  const scenario = report.scenarios.find((s) => s.id === 'withdrawal')!;
  expect(scenario.consentAction, label).toMatchObject({ action: 'accept', ok: true });
  const steps = scenario.journey ?? [];
  const withdraw = steps.find((s) => s.goal === 'withdraw');
  expect(withdraw, label).toMatchObject({ done: true });
  expect(withdraw?.clicked?.[0], label).toBe('Gérer mes cookies');
  expect(
    steps.filter((s) => s.goal !== 'detect').map((s) => [s.goal, s.done]),
    label,
  ).toEqual([
    ['accept', true],
    ['withdraw', true],
    ['reload', true],
    ['visit', true],
  ]);
  // The banner stays away once the refusal is stored.
  expect(
    steps.filter((s) => s.goal === 'detect' && s.done),
    label,
  ).toEqual([]);
  expect(findingsOf(report, 'withdrawal'), label).toEqual(withdrawalFindings(cmp));
  const choices = sentChoices(report, cmp, server, since, 'withdrawal', 'after-withdrawal');
  expect(choices.length, label).toBeGreaterThan(0);
  expect(new Set(choices), label).toEqual(new Set(['reject']));
  expect(storedDecisions(report, cmp, 'withdrawal'), label).toContainEqual(['accept', 'after-accept']);
  expect(storedDecisions(report, cmp, 'withdrawal'), label).toContainEqual(['reject', 'after-withdrawal']);
}

function checkRun(report: AuditReport, cmp: RealCmp, server: FixtureServer, since: number): void {
  for (const action of ACTIONS) {
    const scenario = report.scenarios.find((s) => s.id === action)!;
    const label = `${cmp.page} ${action}`;
    // The platform is detected in every run, by its name.
    expect(
      report.observations.consent.some(
        (c) => c.scenario === action && c.event === 'banner-detected' && c.platform === cmp.platform,
      ),
      label,
    ).toBe(true);
    if (action === 'none') expect(scenario.consentAction, label).toBeUndefined();
    else {
      expect(scenario.consentAction, label).toMatchObject({ action, ok: true, platform: cmp.actor });
      expect(scenario.decision, label).toMatchObject({ decision: action, trusted: true });
    }

    expect(findingsOf(report, action), label).toEqual(expectedFindings(cmp, action));
    // The library's consent cookie is never flagged, whatever the rule.
    for (const f of report.findings) {
      expect(f.subject.key, label).not.toContain(cmp.consentCookie.name);
      expect(
        f.evidence.map((e) => (e as { name?: string }).name),
        label,
      ).not.toContain(cmp.consentCookie.name);
    }

    const stored = report.observations.cookies.filter((c) => c.scenario === action && c.action === 'set');
    expect(new Set(stored.map((c) => c.name)), label).toEqual(new Set(expectedCookies(cmp, action)));
    if (action === 'none') {
      // No choice: the library's cookie records none (tarteaucitron's `!gtag=wait`), so none is read.
      expect(storedDecisions(report, cmp, action), label).toEqual([]);
      continue;
    }
    // The choice, as the library wrote it, and as the report read it from the library's cookie.
    const choices = sentChoices(report, cmp, server, since, action, `after-${action}`);
    expect(choices.length, label).toBeGreaterThan(0);
    expect(new Set(choices), label).toEqual(new Set([action]));
    expect(new Set(storedDecisions(report, cmp, action)), label).toEqual(new Set([[action, `after-${action}`]]));
  }
}

for (const browser of ['chromium', 'firefox'] as const) {
  describe(`${browser}: real consent libraries under npm run audit`, () => {
    let server: FixtureServer;
    let dir: string;

    beforeAll(async () => {
      server = await startFixtureServer();
      dir = await mkdtemp(join(tmpdir(), `consent-auditor-real-cmps-${browser}-`));
    });

    afterAll(async () => {
      await server?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    for (const cmp of REAL_CMPS) {
      it(
        `${cmp.pkg}: no action, accept, reject, their journeys and the withdrawal, with exact findings`,
        { timeout: 600_000 },
        async () => {
          const out = join(dir, `${cmp.pkg}.json`);
          const since = Date.now();
          const run = await audit([
            `https://www.o2toit.com/real-cmps/${cmp.page}`,
            '--browser',
            browser,
            '--scenario',
            [...ACTIONS, ...Object.keys(JOURNEYS), 'withdrawal'].join(','),
            // The next page carries the consent cookie back to the site.
            '--pages',
            '1',
            '--out',
            out,
            '--host-rules',
            server.hostResolverRules,
            '--ignore-https-errors',
          ]);
          expect(run.code, run.stderr).toBe(0);
          // The library really came from the package, through the fixture's /vendor/ route.
          expect(server.hits.some((h) => h.time >= since && h.pathname.startsWith(`/vendor/${cmp.pkg}/`))).toBe(true);
          const report = JSON.parse(await readFile(out, 'utf8')) as AuditReport;
          assertValidReport(report);
          checkRun(report, cmp, server, since);
          checkJourneys(report, cmp);
          checkWithdrawal(report, cmp, server, since);
        },
      );
    }
  });
}
