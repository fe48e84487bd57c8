/**
 * Runs one consent scenario against a fixture page with the built extension, in a fresh browser
 * profile: load, wait for the banner (or the page), make the choice through the extension, settle,
 * and return the extension's own report. Shared by the Chromium and Firefox consent suites.
 */
import type { AuditReport } from '../../lib/report/types';
import type { ConsentActionResponse } from '../../lib/messages';
import type { FixtureServer } from '../../scripts/fixture-server/server';
import { launchChromium } from './harness/chromium';
import { launchFirefox } from './harness/firefox';
import { sendRuntimeMessage, tabIdOf, type EvaluatingPage } from './harness/extension-client';
import { waitForReport } from './report-helpers';

export interface ScenarioSpec {
  page: string; // path under https://www.o2toit.com/consent/
  action: 'none' | 'accept' | 'reject';
  selectors?: { accept?: string; reject?: string };
  /** Report condition meaning "the page is loaded and its banner known" before the choice. */
  ready: (r: AuditReport) => boolean;
  /** Report condition meaning "what the choice causes has arrived". */
  settled: (r: AuditReport) => boolean;
  /** Extra Firefox prefs (a test's own resolver, say); ignored in Chromium. */
  firefoxPrefs?: Record<string, unknown>;
}

export interface ScenarioResult {
  report: AuditReport;
  action?: ConsentActionResponse;
}

const url = (page: string) => `https://www.o2toit.com/consent/${page}`;
/** A first-party path no fixture serves (404, no cookie): the run's end marker. */
export const MARKER = 'https://www.o2toit.com/consent/run-settled';
let runs = 0;

export async function runScenario(
  kind: 'chromium' | 'firefox',
  server: FixtureServer,
  spec: ScenarioSpec,
): Promise<ScenarioResult> {
  const harness =
    kind === 'chromium' ? await launchChromium({ server }) : await launchFirefox({ server, prefs: spec.firefoxPrefs });
  try {
    const control = (await harness.openExtensionPage('popup.html')) as unknown as EvaluatingPage;
    await harness.waitForExtensionReady(control as never);
    const page =
      kind === 'chromium'
        ? await (harness as Awaited<ReturnType<typeof launchChromium>>).context.newPage()
        : await (harness as Awaited<ReturnType<typeof launchFirefox>>).browser.newPage();
    await page.goto(url(spec.page), { waitUntil: 'load' });
    await waitForReport(control, url(spec.page), spec.ready, 30_000);
    let action: ConsentActionResponse | undefined;
    if (spec.action !== 'none') {
      const tabId = await tabIdOf(control, url(spec.page));
      const answer = await sendRuntimeMessage(control, {
        type: 'consent-action',
        tabId,
        action: spec.action,
        ...(spec.selectors ? { selectors: spec.selectors } : {}),
      });
      action = answer.ok ? { ok: true, ...answer.value } : { ok: false, error: answer.refusal.message };
      // A failed action says why at once (waiting for what it would have caused only times out).
      if (!action.ok) throw new Error(`the ${spec.action} action failed: ${action.error}`);
    }
    await waitForReport(control, url(spec.page), spec.settled, 30_000);
    // The positive marker before any absence is judged: a request the page makes once everything the
    // run waits for is in the report. Only when the extension has recorded it too is the report read.
    const marker = `${MARKER}?run=${encodeURIComponent(`${kind}:${spec.page}:${spec.action}`)}&n=${++runs}`;
    await (page as unknown as EvaluatingPage).evaluate(
      (u: string) =>
        fetch(u, { cache: 'no-store' }).then(
          () => undefined,
          () => undefined,
        ),
      marker,
    );
    const { pathname, search } = new URL(marker);
    await server.waitForHit({ host: 'www.o2toit.com', path: pathname + search }, 10_000);
    const report = await waitForReport(
      control,
      url(spec.page),
      (r) => spec.settled(r) && r.observations.requests.some((q) => q.url === marker),
      30_000,
    );
    return { report, ...(action ? { action } : {}) };
  } finally {
    await harness.close();
  }
}

/** Conditions used by the scenario tables. */
export const has = {
  banner: (platform: string) => (r: AuditReport) =>
    r.observations.consent.some((c) => c.event === 'banner-shown' && (c.platform ?? '').includes(platform)),
  request: (fragment: string) => (r: AuditReport) => r.observations.requests.some((q) => q.url.includes(fragment)),
  cookie: (name: string) => (r: AuditReport) => r.observations.cookies.some((c) => c.name === name),
  /** The browser itself reported storing the cookie (not only the page-world hook). */
  storedCookie: (name: string) => (r: AuditReport) =>
    r.observations.cookies.some((c) => c.name === name && c.via === 'cookies-api'),
  actionDone: (r: AuditReport) =>
    r.observations.consent.some(
      (c) => c.event === 'action-result' && c.result !== undefined && c.source === 'extension' && !!c.decision,
    ),
  snapshotAfterDecision: (r: AuditReport) =>
    r.observations.storage.some((s) => s.action === 'snapshot' && s.phase !== 'before-consent'),
  all:
    (...conditions: Array<(r: AuditReport) => boolean>) =>
    (r: AuditReport) =>
      conditions.every((c) => c(r)),
};
