/**
 * Exports, review marks and history in Firefox ESR (an MV3 event page, suspended after 1 s idle
 * here, so a mark must outlive the background): the CSV and HTML downloaded from the extension's own
 * page match the fixture's ground truth, the HTML opened from a file loads nothing, and the history
 * lists a closed tab's audit and deletes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import type { AuditReport } from '../../lib/report/types';
import { launchFirefox, type FirefoxHarness } from './harness/firefox';
import { ask, sendJsonMessage } from './harness/extension-client';
import { assertValidReport, landingComplete, waitForReport } from './report-helpers';
import { checkCookiesCsv, checkFindingsCsv, checkHtmlView, MARKED, readHtmlView } from './exports-checks';
import { POLL } from './poll';

const SITE = 'https://www.o2toit.com/';
const restartsIn = (r: AuditReport) => Number(/restarted (\d+) time/.exec(r.provenance.notes.join('\n'))?.[1] ?? 0);

describe('exports, review marks and history (Firefox)', () => {
  let server: FixtureServer;
  let firefox: FirefoxHarness;
  let control: Page;
  let site: Page;
  let landing: AuditReport;
  let downloads: string;

  beforeAll(async () => {
    server = await startFixtureServer();
    downloads = await mkdtemp(join(tmpdir(), 'consent-auditor-ff-downloads-'));
    firefox = await launchFirefox({
      server,
      prefs: {
        'extensions.background.idle.timeout': 1_000,
        'browser.download.folderList': 2,
        'browser.download.dir': downloads,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        'browser.download.start_downloads_in_tmp_dir': false,
        'browser.download.alwaysOpenPanel': false,
        'browser.helperApps.neverAsk.saveToDisk': 'text/csv,text/html,application/json',
      },
    });
    control = await firefox.openExtensionPage('history.html');
    await firefox.waitForExtensionReady(control);
    site = await firefox.browser.newPage();
    await site.goto(SITE, { waitUntil: 'load' });
    landing = await waitForReport(control, SITE, landingComplete, 60_000);
  }, 120_000);

  afterAll(async () => {
    await firefox?.close();
    await server?.close();
    if (downloads) await rm(downloads, { recursive: true, force: true });
  });

  /** Files already read: each export is a new file. */
  const taken = new Set<string>();
  /** Clicks the export button and returns the file the browser saved (matched by its name's ending). */
  async function save(page: Page, testId: string, ending: RegExp): Promise<{ name: string; text: string }> {
    await click(page, `[data-testid="${testId}"]`);
    let name: string | undefined;
    await expect
      .poll(async () => {
        name = (await readdir(downloads)).find((f) => ending.test(f) && !f.endsWith('.part') && !taken.has(f));
        return name;
      }, POLL)
      .toBeDefined();
    // Written whole once the .part file is gone. Firefox may first write under a temporary name and
    // rename: the file is read by the name it has once no download is in progress.
    await expect.poll(async () => (await readdir(downloads)).some((f) => f.endsWith('.part')), POLL).toBe(false);
    const names = (await readdir(downloads)).filter((f) => ending.test(f) && !f.endsWith('.part'));
    name = names.includes(name!) ? name : names.find((f) => !taken.has(f));
    taken.add(name!);
    return { name: name!, text: await readFile(join(downloads, name!), 'utf8') };
  }

  const statusOf = (page: Page) =>
    page.evaluate(
      (id: string) =>
        document
          .querySelector(`li.finding[data-finding="${id}"] [data-testid="review"]`)
          ?.getAttribute('data-status') ?? null,
      MARKED.id,
    );

  it('keeps a review mark across a reload and a background suspension, and exports it in JSON, CSV and HTML', async () => {
    const auditId = landing.auditId!;
    const review = await firefox.openExtensionPage(`history.html?audit=${encodeURIComponent(auditId)}`);
    await expect.poll(() => statusOf(review), POLL).toBe('none');
    const item = `li.finding[data-finding="${MARKED.id}"]`;
    await click(review, `${item} [data-testid="review-open"]`);
    await click(review, `${item} input[value="${MARKED.status}"]`);
    await fill(review, `${item} [data-testid="review-reviewer"]`, MARKED.reviewer);
    await fill(review, `${item} [data-testid="review-note-input"]`, MARKED.note);
    await click(review, `${item} [data-testid="review-save"]`);
    await expect.poll(() => statusOf(review), POLL).toBe(MARKED.status);

    // The event page is suspended after 1 s idle; a running audit counts each restart. Poll slower
    // than that, so the background goes idle between two questions.
    const before = restartsIn(landing);
    await expect
      .poll(async () => restartsIn(await ask(control, { type: 'get-report', tabId: await tabOf(control) })), {
        ...POLL,
        timeout: 60_000,
        interval: 2_500,
      })
      .toBeGreaterThan(before);
    // A marker the reload wipes: the status is read from the new document, not the old one.
    await review.evaluate(() => {
      (window as unknown as { __old: boolean }).__old = true;
      location.reload();
    });
    await expect
      .poll(
        () =>
          review
            .evaluate(() => ((window as unknown as { __old?: boolean }).__old ? 'old document' : 'reloaded'))
            .catch(() => 'navigating'),
        POLL,
      )
      .toBe('reloaded');
    await expect.poll(() => statusOf(review).catch(() => null), POLL).toBe(MARKED.status);

    await fill(review, '[data-testid="export-lang"]', 'fr');
    const json = JSON.parse((await save(review, 'export', /\.json$/)).text) as AuditReport;
    assertValidReport(json);
    expect(json.reviews?.[MARKED.id]).toMatchObject({
      status: MARKED.status,
      reviewer: MARKED.reviewer,
      note: MARKED.note,
    });
    checkFindingsCsv((await save(review, 'export-csv-findings', /-findings\.fr\.csv$/)).text, true);
    checkCookiesCsv((await save(review, 'export-csv-cookies', /-cookies\.fr\.csv$/)).text);
    const html = await save(review, 'export-html', /\.fr\.html$/);

    await site.close();
    server.clearHits();
    const viewer = await firefox.browser.newPage();
    await viewer.goto(pathToFileURL(join(downloads, html.name)).href, { waitUntil: 'load' });
    checkHtmlView(
      await viewer.evaluate(readHtmlView, MARKED.id),
      json.findings.filter((f) => f.severity === 'high').length,
    );
    expect(server.hits).toEqual([]); // nothing reached the network (all traffic goes through the fixture proxy)
    await viewer.close();
    await review.close();
  }, 150_000);

  it("lists the closed tab's audit in the history and deletes it with its marks", async () => {
    const auditId = landing.auditId!;
    const history = await firefox.openExtensionPage('history.html');
    const row = `[data-testid="history-entry"][data-audit="${auditId}"]`;
    await expect
      .poll(() => history.evaluate((s: string) => document.querySelector(s)?.textContent ?? '', row), POLL)
      .toMatch(/o2toit\.com.*ended/s);
    // Deleting asks first, in a dialog of the page; confirming deletes the audit.
    await click(history, `${row} [data-testid="history-delete"]`);
    const confirm = '[data-testid="history-delete-dialog"][open] [data-testid="history-delete-confirm"]';
    await expect
      .poll(() => history.evaluate((s: string) => document.querySelector(s) !== null, confirm), POLL)
      .toBe(true);
    await click(history, confirm);
    await expect.poll(() => history.evaluate((s: string) => document.querySelector(s) === null, row), POLL).toBe(true);
    expect(await sendJsonMessage(control, { type: 'get-audit-report', auditId })).toMatchObject({
      ok: false,
      refusal: { code: 'not-under-audit' },
    });
  });
});

/** Clicks the element in the page itself (BiDi element handles go stale across Svelte re-renders). */
function click(page: Page, selector: string): Promise<void> {
  return page.evaluate((s: string) => {
    const el = document.querySelector<HTMLElement>(s);
    if (!el) throw new Error(`no ${s}`);
    el.click();
  }, selector);
}

/** Sets a field's value as typing would, and lets Svelte's binding see it (`input`, then `change`). */
function fill(page: Page, selector: string, value: string): Promise<void> {
  return page.evaluate(
    (s: string, v: string) => {
      const el = document.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(s);
      if (!el) throw new Error(`no ${s}`);
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    selector,
    value,
  );
}

/** The audited tab's id, as the extension sees it. */
async function tabOf(control: Page): Promise<number> {
  return control.evaluate(async (prefix: string) => {
    const api = (
      globalThis as unknown as {
        browser: { tabs: { query(q: object): Promise<Array<{ id?: number; url?: string }>> } };
      }
    ).browser;
    return (await api.tabs.query({})).find((t) => t.url?.startsWith(prefix))!.id!;
  }, SITE);
}
