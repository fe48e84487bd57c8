/** Shared assertions and polling for end-to-end tests that read the extension's own report. */
import Ajv from 'ajv';
import { expect } from 'vitest';
import reportSchema from '../../lib/schema/audit-report.schema.json';
import type { Finding } from '../../lib/findings';
import type { AuditReport } from '../../lib/report/types';
import { getReport, type EvaluatingPage } from './harness/extension-client';

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(reportSchema);

/** Throws with Ajv's messages when the report does not match the published schema. */
export function assertValidReport(report: unknown): asserts report is AuditReport {
  if (!validate(report)) throw new Error(`report does not match schema: ${ajv.errorsText(validate.errors)}`);
}

/**
 * Asks the extension for the tab's report until `done(report)` holds. Bounded by a deadline and
 * driven by a condition, not by a fixed sleep: the extension batches its writes.
 */
export async function waitForReport(
  control: EvaluatingPage,
  tabUrlPrefix: string,
  done: (report: AuditReport) => boolean,
  timeoutMs = 20_000,
): Promise<AuditReport> {
  const deadline = Date.now() + timeoutMs;
  let last: string = 'no report yet';
  while (Date.now() < deadline) {
    try {
      const answer = await getReport(control, tabUrlPrefix);
      if (answer.ok && done(answer.value)) return answer.value;
      last = answer.ok ? describeReport(answer.value) : answer.refusal.message;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`report condition not met after ${timeoutMs} ms; last: ${last}`);
}

/** One line per finding with its evidence kinds and lifetimes: what a failed wait shows. */
function describeReport(report: AuditReport): string {
  return report.findings
    .map(
      (f) =>
        `${f.id} [${f.evidence.map((e) => `${e.kind}${e.name ? ' ' + e.name : ''}${e.effectiveLifetimeDays !== undefined ? ' eff ' + e.effectiveLifetimeDays : ''}`).join('; ')}]`,
    )
    .join('\n  ');
}

/** The findings the bundled o2toit.com fixture must produce before any consent decision. */
export const O2TOIT_LANDING_FINDINGS = [
  // Analytics and Meta cookies written on landing, before any decision.
  'cookie-before-consent:_fbp@o2toit.com',
  'cookie-before-consent:_ga@o2toit.com',
  'cookie-lifetime-exceeds-policy:_ga@o2toit.com',
  'cookie-lifetime-exceeds-policy:o2_js_id@www.o2toit.com',
  'cookie-lifetime-exceeds-policy:o2_visitor@o2toit.com',
  'recaptcha-before-consent:google-recaptcha',
  'tracker-before-consent:google-analytics',
  'tracker-before-consent:google-tag-manager',
  'tracker-before-consent:meta-pixel',
  // The site's own cookies: no knowledge source and no cookie list in the policy says what they are.
  'unclassified-cookie:PHPSESSID@www.o2toit.com',
  'unclassified-cookie:o2_js_id@www.o2toit.com',
  'unclassified-cookie:o2_pref@www.o2toit.com',
  'unclassified-cookie:o2_ui@www.o2toit.com',
  'unclassified-cookie:o2_visitor@o2toit.com',
].sort();

export const findingIds = (report: AuditReport) => report.findings.map((f) => f.id).sort();

export function findingById(report: AuditReport, id: string): Finding {
  const finding = report.findings.find((f) => f.id === id);
  if (!finding) throw new Error(`no finding ${id}; have ${findingIds(report).join(', ')}`);
  return finding;
}

/** True once the landing page's whole story (cookies paired with their stored lifetimes included) is in. */
export function landingComplete(report: AuditReport): boolean {
  const ids = findingIds(report);
  if (!O2TOIT_LANDING_FINDINGS.every((id) => ids.includes(id))) return false;
  const lifetimes = report.findings.filter((f) => f.rule === 'cookie-lifetime-exceeds-policy');
  const recaptcha = report.findings.find((f) => f.rule === 'recaptcha-before-consent');
  return (
    lifetimes.every((f) => f.evidence[0]?.effectiveLifetimeDays !== undefined) &&
    !!recaptcha?.evidence.some((e) => e.kind === 'cookie' && e.name === '_GRECAPTCHA') &&
    !!recaptcha?.evidence.some((e) => e.url?.includes('/recaptcha/api2/reload'))
  );
}

/** Shared expectations on the landing report, for Chromium and Firefox alike. */
export function checkLandingReport(report: AuditReport): void {
  assertValidReport(report);
  expect(findingIds(report)).toEqual(O2TOIT_LANDING_FINDINGS);
  for (const f of report.findings) expect(f.phase).toBe('before-consent');

  const visitor = findingById(report, 'cookie-lifetime-exceeds-policy:o2_visitor@o2toit.com').evidence[0]!;
  expect(visitor).toMatchObject({ via: 'set-cookie-header', requestedLifetimeDays: 730, effectiveLifetimeDays: 400 });
  const js = findingById(report, 'cookie-lifetime-exceeds-policy:o2_js_id@www.o2toit.com').evidence[0]!;
  expect(js).toMatchObject({ via: 'document.cookie', requestedLifetimeDays: 1825, effectiveLifetimeDays: 400 });
  expect(js.initiator).toBe('https://www.o2toit.com/');
  const ga = findingById(report, 'cookie-lifetime-exceeds-policy:_ga@o2toit.com').evidence[0]!;
  expect(ga).toMatchObject({ via: 'document.cookie', requestedLifetimeDays: 730, effectiveLifetimeDays: 400 });
  expect(ga.initiator).toMatch(/^https:\/\/www\.googletagmanager\.com\/gtag\/js/);

  const recaptcha = findingById(report, 'recaptcha-before-consent:google-recaptcha');
  expect(recaptcha.severity).toBe('high');
  expect(recaptcha.policyRefs.map((r: { section: string }) => r.section)).toEqual(['IX', 'IX', 'IX']);
  expect(recaptcha.legalRefs.map((r: { source: string }) => r.source).join(' ')).toMatch(/Cityscoot/);
  const urls = recaptcha.evidence.map((e) => e.url ?? '');
  expect(urls).toEqual(
    expect.arrayContaining([
      'https://www.google.com/recaptcha/api.js?render=explicit&hl=fr',
      'https://www.gstatic.com/recaptcha/releases/fixture/recaptcha__fr.js',
      'https://www.google.com/recaptcha/api2/anchor?ar=1&k=fixture-key&hl=fr',
      'https://www.google.com/recaptcha/api2/reload?k=fixture-key',
    ]),
  );
  expect(recaptcha.evidence.find((e) => e.kind === 'request' && e.url?.includes('/api2/anchor'))?.requestType).toBe(
    'sub_frame',
  );

  // Not flagged: the session cookie, the 12-month cookie, 90-day _fbp, 180-day _GRECAPTCHA.
  const flaggedCookies = report.findings
    .filter((f) => f.rule === 'cookie-lifetime-exceeds-policy')
    .map((f) => f.subject.key);
  for (const name of ['PHPSESSID', 'o2_pref', 'o2_ui', '_fbp', '_GRECAPTCHA']) {
    expect(flaggedCookies.some((k) => k.startsWith(`${name}@`))).toBe(false);
  }
  // ...but they were observed.
  const seen = new Set(report.observations.cookies.map((c) => c.name));
  for (const name of ['PHPSESSID', 'o2_pref', 'o2_ui', '_fbp']) expect(seen.has(name)).toBe(true);
  // Values never leave the browser.
  expect(JSON.stringify(report)).not.toMatch(/"value"\s*:/);
}
