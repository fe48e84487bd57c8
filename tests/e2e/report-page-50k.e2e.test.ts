import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { syntheticReport } from '../../scripts/bench/synthetic-report';
import { INJECTED_REPORT_KEY } from '../../lib/report/snapshot';
import type { AuditReport } from '../../lib/report/types';
import { launchChromium, type ChromiumHarness } from './harness/chromium';
import { POLL } from './poll';
import { ARTIFACTS, searchTable, tableShown } from './popup-report-checks';

const COUNT = 50_000;

/** Rows of a table in the DOM, and the seq numbers they show. */
const domRows = (page: Page, table: string) =>
  page.evaluate(
    (t) =>
      [...document.querySelectorAll<HTMLElement>(`[data-testid="${t}"] tbody tr.row`)].map((r) =>
        Number(r.dataset.seq),
      ),
    table,
  );

describe('the report page with 50,000 observations (a synthetic report injected from the extension context)', () => {
  let server: FixtureServer;
  let chromium: ChromiumHarness;
  let report: AuditReport;
  let page: Page;

  beforeAll(async () => {
    report = syntheticReport(COUNT);
    server = await startFixtureServer();
    chromium = await launchChromium({ server });
    const control = await chromium.openExtensionPage('popup.html');
    await chromium.waitForExtensionReady(control);
    // From an extension page: the only context that may write extension storage and open report.html.
    await control.evaluate(
      async ({ key, json }) => {
        await browser.storage.local.set({ [key]: json });
      },
      { key: INJECTED_REPORT_KEY, json: JSON.stringify(report) },
    );
    page = await chromium.openExtensionPage('report.html?injected=1');
    await page.waitForFunction(() => document.documentElement.dataset.ready, undefined, { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('holds every observation, yet keeps only the rows in view in the DOM', async () => {
    expect(await page.evaluate(() => document.documentElement.dataset.ready)).toBe('report');
    const o = report.observations;
    expect(o.cookies.length + o.requests.length + o.storage.length + o.consent.length).toBe(COUNT);
    for (const [table, rows] of [
      ['cookies-table', o.cookies],
      ['storage-table', o.storage],
      ['requests-table', o.requests],
    ] as const) {
      expect(await tableShown(page, table)).toBe(rows.length);
      const inDom = await domRows(page, table);
      expect(inDom.length).toBeGreaterThan(0);
      expect(inDom.length).toBeLessThan(100);
    }
    // Scrolled to the end, the last request (by seq) is rendered, and still few rows are.
    await page.evaluate(() => {
      const scroller = document.querySelector('[data-testid="requests-table"] .scroller')!;
      scroller.scrollTop = scroller.scrollHeight;
    });
    const last = Math.max(...o.requests.map((r) => r.seq));
    await expect.poll(async () => (await domRows(page, 'requests-table')).includes(last), POLL).toBe(true);
    expect((await domRows(page, 'requests-table')).length).toBeLessThan(100);
    // A search over 50,000 rows gives the same count as the data.
    const host = o.requests[0]!.host;
    await searchTable(page, 'requests-table', host);
    const expected = o.requests.filter((r) =>
      Object.values({ m: r.method, t: r.type, h: r.host, u: r.url, p: r.phase }).some((v) =>
        v.toLowerCase().includes(host.toLowerCase()),
      ),
    ).length;
    await expect.poll(() => tableShown(page, 'requests-table'), POLL).toBe(expected);
  });

  it('draws the timeline with a bounded number of bars', async () => {
    const timeline = await page.evaluate(() => {
      const fig = document.querySelector<HTMLElement>('[data-testid="timeline"]')!;
      const canvas = fig.querySelector('canvas')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
      return {
        bars: Number(fig.dataset.bars),
        bins: Number(fig.dataset.bins),
        total: Number(fig.dataset.total),
        painted,
      };
    });
    const o = report.observations;
    expect(timeline.total).toBe(o.cookies.length + o.storage.length + o.requests.length);
    expect(timeline.bars).toBeGreaterThan(0);
    expect(timeline.bars).toBeLessThanOrEqual(timeline.bins * 3);
    expect(timeline.painted).toBeGreaterThan(0);
    // Every finding passes the (empty) filter; subjects are rendered a page at a time.
    expect(await page.getByTestId('findings').getAttribute('data-shown')).toBe(String(report.findings.length));
    const articles = await page.locator('article.finding').count();
    expect(articles).toBeGreaterThan(0);
    expect(articles).toBeLessThanOrEqual(report.findings.length);
    await page.screenshot({ path: join(ARTIFACTS, 'report-50k-chromium.png') });
  });
});
