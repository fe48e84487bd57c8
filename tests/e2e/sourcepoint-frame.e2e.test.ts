/**
 * A consent banner served in a cross-site frame and found there by autoconsent's frame rule, as
 * Sourcepoint serves its notice (tests/fixtures/sites/www.o2toit.com/consent/sourcepoint.html, the
 * wrapper and notice on cdn.privacy-mgmt.com). `npm run audit` plays no action, accept and reject, in
 * Chromium and in Firefox: the platform is detected in the notice's frame, by autoconsent's
 * "Sourcepoint-frame" rule; the extension makes the choice in that frame; the wrapper stores it; the
 * tracker the site gates loads after an accept only; the findings are exactly those the page plants.
 *
 * autoconsent (16.x) needs no exchange between the frame's instance and the top's for this rule: the
 * rule detects, finds the popup and clicks in the frame alone, and the background commands the frame
 * autoconsent reported the popup from (consent-service.ts, by frameId). The rule has no self-test
 * (autoconsent says the parent frame does it), and the wrapper removes the frame once the choice is
 * posted: the refusal runs none (it used to "pass" in Chromium when the frame outlived the click, and
 * fail after 10 s of resends in Firefox, where it did not).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import {
  ALL,
  expectedCookies,
  expectedFindings,
  factsOf,
  gtag,
  type Action,
  type FixturePage,
} from './consent-expectations';
import { audit } from './harness/run-cli';
import { assertValidReport } from './report-helpers';

const ACTIONS: Action[] = ['none', 'accept', 'reject'];
const NOTICE = 'https://cdn.privacy-mgmt.com/index.html?message_id=1234&consentUUID=';
const GTAG = 'https://www.googletagmanager.com/gtag/js?id=G-FIXTURE1';

/** What sourcepoint.html plants, and when (consent-expectations.ts computes each run's findings). */
const SOURCEPOINT: FixturePage = {
  page: 'sourcepoint.html',
  // The platform the report names (cmp-hints.json), for autoconsent's rule "Sourcepoint-frame".
  platform: 'Sourcepoint',
  facts: [
    // Sourcepoint itself is consent management: its wrapper and notice frame are exempt.
    { at: ALL, request: 'https://cdn.privacy-mgmt.com/wrapperMessagingWithoutDetection.js' },
    { at: ALL, request: NOTICE },
    // The violation: the Meta pixel's image, pasted outside Sourcepoint, requested at load.
    {
      at: ['load'],
      request: 'https://www.facebook.com/tr?id=1234&ev=PageView',
      raises: ['tracker-before-consent:meta-pixel'],
    },
    // Written by the wrapper on either choice: Sourcepoint's own, 365 days (within 13 months).
    { at: ['accept', 'reject'], cookie: { name: 'consentUUID', domain: 'www.o2toit.com', days: 365 } },
    // Loaded by the site's onConsentReady after an accept only.
    ...gtag(['accept'], 'G100'),
  ],
};

/** The run's findings without their scenario suffix, sorted by id, in the shape of expectedFindings. */
const findingsOf = (report: AuditReport, scenario: string) =>
  report.findings
    .filter((f) => f.scenario === scenario)
    .map((f) => ({ id: f.id.slice(0, -`:${scenario}`.length), rule: f.rule, subject: f.subject.key, phase: f.phase }))
    .sort((a, b) => a.id.localeCompare(b.id));

function checkRun(report: AuditReport, action: Action): void {
  const label = action;
  const scenario = report.scenarios.find((s) => s.id === action)!;
  const consent = report.observations.consent.filter((c) => c.scenario === action);
  // Detected and shown in the notice's cross-site frame, by autoconsent's frame rule.
  const shown = consent.find((c) => c.event === 'banner-shown' && c.platform === SOURCEPOINT.platform);
  expect(shown, `${label}: ${JSON.stringify(consent.map((c) => [c.event, c.platform, c.url]))}`).toBeDefined();
  expect(shown!.frameId, label).toBeGreaterThan(0);
  expect(shown!.url.startsWith(NOTICE), label).toBe(true);
  expect(shown!.how, label).toContain('"Sourcepoint-frame"');
  expect(
    consent.some(
      (c) => c.event === 'banner-detected' && c.platform === SOURCEPOINT.platform && c.frameId === shown!.frameId,
    ),
    label,
  ).toBe(true);
  // The notice frame's document is a request of the audited tab, in that frame.
  const frame = report.observations.requests.find((q) => q.scenario === action && q.url.startsWith(NOTICE));
  expect(frame?.type, label).toBe('sub_frame');
  expect(frame!.frameId, label).toBe(shown!.frameId);

  const decisions = consent.filter((c) => c.event === 'decision');
  if (action === 'none') {
    expect(scenario.consentAction, label).toBeUndefined();
    expect(decisions, label).toEqual([]);
  } else {
    // The extension made the choice, through autoconsent's rule, in the notice's frame: no human click.
    expect(scenario.consentAction, label).toMatchObject({
      action,
      ok: true,
      method: 'autoconsent',
      platform: 'Sourcepoint-frame',
    });
    expect(scenario.decision, label).toMatchObject({ decision: action, trusted: true, timeSource: 'extension-action' });
    expect(
      decisions.map((d) => [d.decision, d.source, d.frameId, d.platform]),
      label,
    ).toEqual([[action, 'extension', shown!.frameId, 'Sourcepoint-frame']]);
    expect(
      consent.filter((c) => c.event === 'user-gesture'),
      label,
    ).toEqual([]);
    const results = consent.filter((c) => c.event === 'action-result');
    expect(
      results.map((r) => [r.result, r.frameId]),
      label,
    ).toEqual([[true, shown!.frameId]]);
    // The rule has no self-test of its own: none is run, so none is claimed.
    expect(
      results.some((r) => r.how.includes('self-test')),
      label,
    ).toBe(false);
  }

  // The gated tracker: after an accept only, never before it.
  const gtagPhases = report.observations.requests
    .filter((q) => q.scenario === action && q.url.startsWith(GTAG))
    .map((q) => q.phase);
  const gated = factsOf(SOURCEPOINT, action).filter(({ fact }) => fact.request === GTAG);
  expect(gtagPhases, label).toEqual(gated.map(({ moment }) => `after-${moment}`));

  expect(findingsOf(report, action), label).toEqual(expectedFindings(SOURCEPOINT, action));
  const stored = report.observations.cookies.filter((c) => c.scenario === action && c.action === 'set');
  expect(new Set(stored.map((c) => c.name)), label).toEqual(new Set(expectedCookies(SOURCEPOINT, action)));
  // Sourcepoint's own cookie, written after the choice, is never flagged.
  if (action !== 'none')
    expect(
      stored.filter((c) => c.name === 'consentUUID').map((c) => c.phase),
      label,
    ).toContain(`after-${action}`);
  for (const f of report.findings) expect(f.subject.key, label).not.toContain('consentUUID');
}

for (const browser of ['chromium', 'firefox'] as const) {
  describe(`${browser}: Sourcepoint's notice in its own frame under npm run audit`, () => {
    let server: FixtureServer;
    let dir: string;

    beforeAll(async () => {
      server = await startFixtureServer();
      dir = await mkdtemp(join(tmpdir(), `consent-auditor-sourcepoint-${browser}-`));
    });

    afterAll(async () => {
      await server?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** One `npm run audit` of the page (`query`: the page's options) with these scenarios; its report. */
    async function run(query: string, actions: Action[]): Promise<AuditReport> {
      const out = join(dir, `sourcepoint${query.replace(/\W/g, '-')}.json`);
      const since = Date.now();
      const result = await audit([
        `https://www.o2toit.com/consent/${SOURCEPOINT.page}${query}`,
        '--browser',
        browser,
        '--scenario',
        actions.join(','),
        '--out',
        out,
        '--host-rules',
        server.hostResolverRules,
        '--ignore-https-errors',
      ]);
      expect(result.code, result.stderr).toBe(0);
      // The notice came from its own site, in every run.
      const notices = server.hits.filter(
        (h) => h.time >= since && h.host === 'cdn.privacy-mgmt.com' && h.pathname === '/index.html',
      );
      expect(notices.length).toBe(actions.length);
      const report = JSON.parse(await readFile(out, 'utf8')) as AuditReport;
      assertValidReport(report);
      return report;
    }

    it(
      'no action, accept and reject: found in the frame by its rule, driven there, exact findings',
      { timeout: 300_000 },
      async () => {
        const report = await run('', ACTIONS);
        for (const action of ACTIONS) checkRun(report, action);
      },
    );

    // The wrapper only hides the notice: its frame outlives the refusal, so a self-test sent to it
    // would run, and autoconsent's test of a rule that has none would "pass". None is run.
    it('reject with a notice hidden, not removed: still no self-test claimed', { timeout: 300_000 }, async () => {
      checkRun(await run('?hide=1', ['reject']), 'reject');
    });
  });
}
