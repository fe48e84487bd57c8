/** Assertions shared by the Chromium and Firefox consent suites. */
import { expect } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import type { ScenarioResult } from './consent-scenarios';
import type { BannerCase } from './consent-expectations';
import { assertValidReport } from './report-helpers';

export function checkConsentRun(
  result: ScenarioResult,
  banner: BannerCase,
  action: 'none' | 'accept' | 'reject',
): void {
  const { report } = result;
  assertValidReport(report);
  // The detected platform.
  const platforms = new Set(
    report.observations.consent.filter((c) => c.event === 'banner-shown').map((c) => c.platform),
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
  // The exact findings of the four consent rules.
  expect(result.consentFindings).toEqual([...banner.findings[action]].sort());
  // Storage writes name the script that made them.
  for (const s of report.observations.storage.filter((w) => w.action === 'set'))
    expect(s.initiator, s.key).toMatch(/^https:\/\//);
}

export function checkHostileReport(report: AuditReport): void {
  assertValidReport(report);
  const run = report.scenarios[0]!;
  expect(run.decision).toBeUndefined();
  const claims = run.untrustedSignals!.map((s) => s.how).join('\n');
  expect(claims).toMatch(/forged, ignored/); // messages posted on our page channel
  expect(claims).toMatch(/useractioncomplete/); // the page's own TCF API claiming a decision
  expect(claims).toMatch(/consent cookie tarteaucitron written by the page/); // a consent cookie with no click behind it
  for (const o of [...report.observations.requests, ...report.observations.cookies])
    expect(o.phase).toBe('before-consent');
  const ids = report.findings.map((f) => f.id);
  expect(ids).toEqual(
    expect.arrayContaining([
      'tracker-before-consent:meta-pixel',
      'tracker-before-consent:google-analytics',
      'cookie-before-consent:_ga@o2toit.com',
    ]),
  );
  // Cookie writes the page merely claimed (never stored by the browser) are not judged.
  expect(ids.some((id) => id.includes('fake@'))).toBe(false);
}
