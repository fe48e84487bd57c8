/**
 * The extension's pages in Chromium: time from navigation start to first usable render (the page's
 * `popup-ready` / `report-ready` performance mark: data loaded, page and timeline drawn).
 * - the popup over a 5,000-observation audit, read from its `storage.session` snapshot (budget 200 ms);
 * - the full report page over 50,000 observations, injected (report.html?injected=1) (budget 1.5 s).
 * Medians of a few openings, each in a fresh tab.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../browser/chromium.ts';
import { CHROME_BUILD } from '../browser/paths.ts';
import { INJECTED_REPORT_KEY, snapshotKey, snapshotOf } from '../../lib/report/snapshot.ts';
import { syntheticReport } from './synthetic-report.ts';
import { figure, median, type BenchResult } from './stats.ts';

const POPUP_ROUNDS = 7;
const REPORT_ROUNDS = 3;
/** A tab id no real tab has: the popup reads the bench's snapshot for it. */
const BENCH_TAB = 999_999;

async function readyAfter(page: Page, mark: string): Promise<number> {
  await page.waitForFunction(() => document.documentElement.dataset.ready, undefined, { timeout: 60_000 });
  return page.evaluate((name) => performance.getEntriesByName(name)[0]!.startTime, mark);
}

async function timeOpenings(
  open: () => Promise<Page>,
  mark: string,
  rounds: number,
): Promise<{ median: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const page = await open();
    samples.push(await readyAfter(page, mark));
    await page.close();
  }
  return { median: median(samples), samples };
}

export async function uiBench(): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM_PATH) || !existsSync(join(CHROME_BUILD, 'manifest.json')))
    return [{ id: 'ui', label: 'Popup and report page render', skipped: `needs ${CHROMIUM_PATH} and npm run build` }];
  const small = syntheticReport(5_000);
  const large = syntheticReport(50_000);
  const session = await launchChromium({});
  try {
    const control = await session.openExtensionPage('popup.html');
    await session.waitForExtensionReady(control);
    await control.evaluate(
      async ({ key, snapshot, injectedKey, json }) => {
        await browser.storage.session.set({ [key]: snapshot });
        await browser.storage.local.set({ [injectedKey]: json });
      },
      {
        key: snapshotKey(BENCH_TAB),
        snapshot: snapshotOf(small, BENCH_TAB, 'bench', Date.now()),
        injectedKey: INJECTED_REPORT_KEY,
        json: JSON.stringify(large),
      },
    );
    const popup = await timeOpenings(
      () => session.openExtensionPage(`popup.html?tab=${BENCH_TAB}`),
      'popup-ready',
      POPUP_ROUNDS,
    );
    const report = await timeOpenings(
      () => session.openExtensionPage('report.html?injected=1'),
      'report-ready',
      REPORT_ROUNDS,
    );
    return [
      figure('ui-popup-5k', 'Popup first render, 5,000 observations', popup.median, 'ms', 200, {
        samples: popup.samples,
        findings: small.findings.length,
      }),
      figure('ui-report-50k', 'Report page first usable render, 50,000 observations', report.median, 'ms', 1500, {
        samples: report.samples,
        findings: large.findings.length,
      }),
    ];
  } finally {
    await session.close();
  }
}
