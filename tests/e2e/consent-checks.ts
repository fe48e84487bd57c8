/** Assertions shared by the Chromium and Firefox consent suites. */
import { expect } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import type { ScenarioResult } from './consent-scenarios';
import {
  expectedCookies,
  expectedFindings,
  expectedThirdParties,
  HOSTILE,
  type Action,
  type FixturePage,
} from './consent-expectations';
import { assertValidReport } from './report-helpers';

export function checkConsentRun(result: ScenarioResult, banner: FixturePage, action: Action): void {
  const { report } = result;
  assertValidReport(report);
  // The detected platform.
  // A known platform's banner (one found by its shape, `banner.kind` generic, names no platform).
  const platforms = new Set(
    report.observations.consent.filter((c) => c.event === 'banner-shown' && !c.banner).map((c) => c.platform),
  );
  if (banner.platform) expect([...platforms]).toContain(banner.platform);
  else expect(platforms.size).toBe(0);
  // The decision, its time and how it was established.
  const decision = report.scenarios[0]?.decision;
  if (action === 'none') {
    expect(decision).toBeUndefined();
    expect(result.action).toBeUndefined();
  } else {
    expect(result.action).toMatchObject({ ok: true, method: banner.selectors ? 'selector' : 'autoconsent' });
    expect(decision).toMatchObject({ decision: action, trusted: true });
    expect(decision!.how).toMatch(
      banner.selectors ? /the extension clicked #/ : /the extension ran autoconsent's opt-(in|out)/,
    );
    expect(Date.parse(decision!.time)).toBeGreaterThan(Date.parse(report.provenance.startedAt));
  }
  // The phase of each observation: before the decision everything is before consent, after it the decision's phase.
  // (Phases follow when each event happened: the browser's or the extension's clock.)
  const made = report.observations.consent.find((c) => c.event === 'decision' && c.trusted);
  const before = (o: { time: number; seq: number }) =>
    !made || o.time < made.time || (o.time === made.time && o.seq < made.seq);
  const all = [
    ...report.observations.cookies,
    ...report.observations.requests,
    ...report.observations.storage,
    ...report.observations.consent,
  ];
  for (const o of all) {
    const expected = before(o) ? 'before-consent' : action === 'accept' ? 'after-accept' : 'after-reject';
    expect(o.phase, `${o.kind} #${o.seq}`).toBe(expected);
  }
  checkFacts(report, banner, action);
  // Storage writes name the script that made them.
  for (const s of report.observations.storage.filter((w) => w.action === 'set'))
    expect(s.initiator, s.key).toMatch(/^https:\/\//);
}

/**
 * What the fixture's facts say of the run, judged once the run's positive markers held: every finding
 * exactly (rule, subject, phase of the first occurrence), the cookies the browser stored, and the
 * third parties contacted. Nothing more, nothing less.
 */
export function checkFacts(report: AuditReport, page: FixturePage, action: Action): void {
  const findings = report.findings
    .map((f) => ({ id: f.id, rule: f.rule, subject: f.subject.key, phase: f.phase }))
    .sort((a, b) => a.id.localeCompare(b.id));
  expect(findings).toEqual(expectedFindings(page, action));
  const cookies = new Set(report.observations.cookies.filter((c) => c.via === 'cookies-api').map((c) => c.name));
  expect([...cookies].sort()).toEqual(expectedCookies(page, action));
  const thirdParties = new Set(report.observations.requests.filter((q) => q.thirdParty).map((q) => q.host));
  expect([...thirdParties].sort()).toEqual(expectedThirdParties(page, action));
}

export function checkHostileReport(report: AuditReport): void {
  assertValidReport(report);
  checkFacts(report, HOSTILE, 'none');
  const run = report.scenarios[0]!;
  expect(run.decision).toBeUndefined();
  const claims = run.untrustedSignals!.map((s) => s.how).join('\n');
  expect(claims).toMatch(/forged, ignored/); // messages posted on our page channel
  expect(claims).toMatch(/useractioncomplete/); // the page's own TCF API claiming a decision
  expect(claims).toMatch(/consent cookie tarteaucitron written by the page/); // a consent cookie with no click behind it
  for (const o of [...report.observations.requests, ...report.observations.cookies])
    expect(o.phase).toBe('before-consent');
  // Cookie writes the page merely claimed (never stored by the browser) are not judged.
  expect(report.findings.map((f) => f.id).some((id) => id.includes('fake@'))).toBe(false);
  // The forged 60-second _ga write does not replace the real 730-day one.
  const ga = report.findings.find((f) => f.id === 'cookie-lifetime-exceeds-policy:_ga@o2toit.com')!;
  expect(ga.evidence.map((e) => e.requestedLifetimeDays).filter((d) => d !== undefined)).toEqual(
    expect.arrayContaining([730]),
  );
  expect(ga.evidence.some((e) => (e.requestedLifetimeDays ?? 730) < 1)).toBe(false);
}
