/**
 * Exports, review marks and history in Chromium, with the built extension on the o2toit fixture:
 * the CSV and HTML downloaded from the extension's own page parse and render into what the
 * fixture's ground truth says, the HTML shows everything with the network blocked, a review mark
 * survives a page reload and a service-worker stop and travels in every export, and the history
 * lists a closed tab's audit and deletes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Download, Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import type { AuditReport } from '../../lib/report/types';
import { launchChromium, type ChromiumHarness } from './harness/chromium';
import { ask, sendRuntimeMessage } from './harness/extension-client';
import { assertValidReport, landingComplete, waitForReport } from './report-helpers';
import { checkCookiesCsv, checkFindingsCsv, checkHtmlView, MARKED, readHtmlView } from './exports-checks';
import { POLL } from './poll';

const SITE = 'https://www.o2toit.com/';

describe('exports, review marks and history (Chromium)', () => {
  let server: FixtureServer;
  let chromium: ChromiumHarness;
  let control: Page;
  let site: Page;
  let landing: AuditReport;
  let dir: string;

  beforeAll(async () => {
    server = await startFixtureServer();
    chromium = await launchChromium({ server });
    control = await chromium.openExtensionPage('history.html');
    await chromium.waitForExtensionReady(control);
    dir = await mkdtemp(join(tmpdir(), 'consent-auditor-exports-'));
    site = await chromium.context.newPage();
    await site.goto(SITE, { waitUntil: 'load' });
    landing = await waitForReport(control, SITE, landingComplete, 30_000);
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const text = async (download: Download) => readFile((await download.path())!, 'utf8');
  const save = (page: Page, testId: string) =>
    Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]).then(([d]) => d);

  it('keeps a review mark across a reload and a service-worker stop, and exports it in JSON, CSV and HTML', async () => {
    const auditId = landing.auditId!;
    expect(auditId).toMatch(/\S/);
    const review = await chromium.openExtensionPage(`history.html?audit=${encodeURIComponent(auditId)}`);
    const items = review.locator('li.finding');
    await expect.poll(() => items.count(), POLL).toBeGreaterThanOrEqual(landing.findings.length);
    const item = review.locator(`li.finding[data-finding="${MARKED.id}"]`);
    const status = () => item.getByTestId('review').getAttribute('data-status');
    expect(await status()).toBe('none');

    await item.getByTestId('review-open').click();
    await item.locator(`input[value="${MARKED.status}"]`).check();
    await item.getByTestId('review-reviewer').fill(MARKED.reviewer);
    await item.getByTestId('review-note-input').fill(MARKED.note);
    await item.getByTestId('review-save').click();
    await expect.poll(status, POLL).toBe(MARKED.status);

    await review.reload();
    await expect.poll(status, POLL).toBe(MARKED.status);
    const stopped = await chromium.stopServiceWorkers();
    expect(stopped.every((v) => v.runningStatus === 'stopped')).toBe(true);
    await review.reload(); // its request wakes a new worker, which reads the marks from storage
    await expect.poll(status, POLL).toBe(MARKED.status);
    expect(await item.getByTestId('review-note').textContent()).toBe(MARKED.note);

    await review.getByTestId('export-lang').selectOption('fr');
    const json = JSON.parse(await text(await save(review, 'export'))) as AuditReport;
    assertValidReport(json);
    expect(json.reviews?.[MARKED.id]).toMatchObject({
      status: MARKED.status,
      reviewer: MARKED.reviewer,
      note: MARKED.note,
    });
    const findings = await save(review, 'export-csv-findings');
    expect(findings.suggestedFilename()).toMatch(/^consent-audit-o2toit\.com-.*-findings\.fr\.csv$/);
    checkFindingsCsv(await text(findings), true);
    checkCookiesCsv(await text(await save(review, 'export-csv-cookies')));

    // The HTML, opened from a file with every request blocked, shows the findings and the mark.
    const html = await save(review, 'export-html');
    const file = join(dir, html.suggestedFilename());
    await writeFile(file, await text(html));
    const viewer = await chromium.context.newPage();
    const requested: string[] = [];
    viewer.on('request', (r) => requested.push(r.url()));
    await viewer.route('**/*', (route) =>
      route.request().url().startsWith('file:') ? route.continue() : route.abort(),
    );
    await viewer.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    checkHtmlView(
      await viewer.evaluate(readHtmlView, MARKED.id),
      json.findings.filter((f) => f.severity === 'high').length,
    );
    expect(requested).toEqual([pathToFileURL(file).href]);
    await viewer.close();
    await review.close();
  });

  it("lists a closed tab's audit in the history, with its counts, and deletes it with its marks", async () => {
    const auditId = landing.auditId!;
    await site.close(); // ends the audit (tab-ends.ts); its data stays
    const latest = await ask(control, { type: 'get-audit-report', auditId });
    const history = await chromium.openExtensionPage('history.html');
    const row = history.locator(`[data-testid="history-entry"][data-audit="${auditId}"]`);
    await expect.poll(() => row.textContent(), POLL).toMatch(/ended/);
    expect(await row.getByTestId('history-site').textContent()).toBe('o2toit.com');
    const c = latest.summary.bySeverity;
    expect(await row.getByTestId('history-counts').textContent()).toBe(
      `${latest.summary.findings} (${c.high} high, ${c.medium} medium, ${c.low} low, ${c.info} info)`,
    );
    // Deleting asks first: cancelling keeps the audit, confirming deletes it.
    const dialog = history.getByTestId('history-delete-dialog');
    await row.getByTestId('history-delete').click();
    await expect.poll(() => dialog.textContent(), POLL).toContain('o2toit.com');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible(), POLL).toBe(false);
    expect(await row.count()).toBe(1);
    await row.getByTestId('history-delete').click();
    await history.getByTestId('history-delete-confirm').click();
    await expect.poll(() => row.count(), POLL).toBe(0);
    expect(await sendRuntimeMessage(control, { type: 'get-audit-report', auditId })).toMatchObject({
      ok: false,
      refusal: { code: 'not-under-audit' },
    });
    const marks = await control.evaluate(
      (key) =>
        (
          globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<object> } } } }
        ).chrome.storage.local.get(key),
      `review:v1:${auditId}`,
    );
    expect(marks).toEqual({});
  });
});
