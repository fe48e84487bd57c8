import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchChromium, type ChromiumHarness } from './harness/chromium';
import { tabIdOf } from './harness/extension-client';
import { POLL } from './poll';
import { landingComplete, waitForReport } from './report-helpers';
import {
  ARTIFACTS,
  backgroundLuminance,
  badgeText,
  checkAccessibility,
  checkFilters,
  checkLandingView,
  checkReportPage,
  expectedCounts,
  LANGS,
  switchLanguage,
} from './popup-report-checks';

const SITE = 'https://www.o2toit.com/';
const THEMES = ['light', 'dark'] as const;

/**
 * Screenshots in both languages and both themes, each seen applied: the language's own summary
 * heading, a dark background in dark, a light one in light.
 */
async function screenshots(page: Page, name: string): Promise<void> {
  for (const lang of LANGS) {
    await switchLanguage(page, lang);
    for (const colorScheme of THEMES) {
      await page.emulateMedia({ colorScheme });
      const luminance = await backgroundLuminance(page);
      if (colorScheme === 'dark') expect(luminance).toBeLessThan(0.3);
      else expect(luminance).toBeGreaterThan(0.8);
      await page.screenshot({ path: join(ARTIFACTS, `${name}-chromium-${lang}-${colorScheme}.png`), fullPage: true });
    }
  }
  await switchLanguage(page, 'en');
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the popup and the full report page in Chromium, on the o2toit.com landing audit', () => {
  let server: FixtureServer;
  let chromium: ChromiumHarness;
  let control: Page;
  let tabId: number;

  beforeAll(async () => {
    server = await startFixtureServer();
    chromium = await launchChromium({ server });
    control = await chromium.openExtensionPage('popup.html');
    await chromium.waitForExtensionReady(control);
    const site = await chromium.context.newPage();
    await site.goto(SITE, { waitUntil: 'load' });
    await waitForReport(control, SITE, landingComplete);
    tabId = await tabIdOf(control, SITE);
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('shows the count of high findings on the toolbar badge of the audited tab', async () => {
    await expect.poll(() => badgeText(control, tabId), POLL).toBe(String(expectedCounts().high));
  });

  it('the popup gives the verdict at a glance, grouped by subject, filtered and searched, and opens the report', async () => {
    const popup = await chromium.openExtensionPage(`popup.html?tab=${tabId}`);
    await checkLandingView(popup, 'popup');
    await checkFilters(popup);
    await checkAccessibility(popup);
    await screenshots(popup, 'popup');

    const [report] = await Promise.all([
      chromium.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Open full report' }).click(),
    ]);
    await report.waitForLoadState('load');
    expect(report.url()).toBe(chromium.extensionUrl(`report.html?tab=${tabId}`));
    await checkLandingView(report, 'report');
    await checkReportPage(report);
    await checkAccessibility(report);
    await screenshots(report, 'report');

    // Print: the navigation and the controls are not printed, and the PDF is made.
    await report.emulateMedia({ media: 'print' });
    const nav = await report.evaluate(() => getComputedStyle(document.querySelector('nav')!).display);
    expect(nav).toBe('none');
    await report.emulateMedia({ media: 'screen' });
    const pdf = await report.pdf({ path: join(ARTIFACTS, 'report-chromium.pdf') });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the popup is usable from the keyboard alone: Tab reaches the report button and Enter opens it', async () => {
    const popup = await chromium.openExtensionPage(`popup.html?tab=${tabId}`);
    await checkLandingView(popup, 'popup');
    await popup.keyboard.press('Tab');
    let focused = '';
    for (let i = 0; i < 30 && focused !== 'open-report'; i++) {
      focused = await popup.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? '');
      if (focused !== 'open-report') await popup.keyboard.press('Tab');
    }
    expect(focused).toBe('open-report');
    const [report] = await Promise.all([chromium.context.waitForEvent('page'), popup.keyboard.press('Enter')]);
    await report.waitForLoadState('load');
    expect(report.url()).toContain('report.html?tab=');
  });
});
