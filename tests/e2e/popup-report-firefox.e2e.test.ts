import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchFirefox, type FirefoxHarness } from './harness/firefox';
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
type Theme = 'light' | 'dark';
/**
 * Puppeteer cannot emulate `prefers-color-scheme` over WebDriver BiDi, so each theme is a Firefox
 * launched with the system theme it follows.
 */
const THEME_PREFS: Record<Theme, Record<string, number>> = {
  light: { 'ui.systemUsesDarkTheme': 0, 'layout.css.prefers-color-scheme.content-override': 1 },
  dark: { 'ui.systemUsesDarkTheme': 1, 'layout.css.prefers-color-scheme.content-override': 0 },
};

/** Screenshots in both languages in the browser's theme, once the theme and the language are seen applied. */
async function screenshot(page: Page, name: string, theme: Theme): Promise<void> {
  const luminance = await backgroundLuminance(page);
  if (theme === 'dark') expect(luminance).toBeLessThan(0.3);
  else expect(luminance).toBeGreaterThan(0.8);
  for (const lang of LANGS) {
    await switchLanguage(page, lang);
    await page.screenshot({
      path: join(ARTIFACTS, `${name}-firefox-${lang}-${theme}.png`) as `${string}.png`,
      fullPage: true,
    });
  }
  await switchLanguage(page, 'en');
}

/** Firefox in the given theme, with the o2toit.com landing audit done. */
async function auditedFirefox(server: FixtureServer, theme: Theme) {
  const firefox = await launchFirefox({ server, prefs: THEME_PREFS[theme] });
  const control = await firefox.openExtensionPage('popup.html');
  await firefox.waitForExtensionReady(control);
  const site = await firefox.browser.newPage();
  await site.goto(SITE, { waitUntil: 'load' });
  await waitForReport(control, SITE, landingComplete, 30_000);
  return { firefox, control, tabId: await tabIdOf(control, SITE) };
}

describe('the popup and the full report page in Firefox ESR, on the o2toit.com landing audit', () => {
  let server: FixtureServer;
  let firefox: FirefoxHarness;
  let control: Page;
  let tabId: number;

  beforeAll(async () => {
    server = await startFixtureServer();
    ({ firefox, control, tabId } = await auditedFirefox(server, 'light'));
  });

  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('shows the count of high findings on the toolbar badge of the audited tab', async () => {
    await expect.poll(() => badgeText(control, tabId), POLL).toBe(String(expectedCounts().high));
  });

  it('the popup shows the verdict at a glance and opens the full report, which shows the same audit', async () => {
    const popup = await firefox.openExtensionPage(`popup.html?tab=${tabId}`);
    await checkLandingView(popup, 'popup');
    await checkFilters(popup);
    await checkAccessibility(popup);
    await screenshot(popup, 'popup', 'light');

    await popup.evaluate(() => document.querySelector<HTMLButtonElement>('[data-testid="open-report"]')!.click());
    // The extension opened the tab (tabs.create); puppeteer's page.url() lags for it, location.href does not.
    const url = firefox.extensionUrl(`report.html?tab=${tabId}`);
    await expect
      .poll(async () => {
        const tabs = await control.evaluate(async () => (await browser.tabs.query({})).map((t) => t.url ?? ''));
        return tabs.filter((u) => u === url).length;
      }, POLL)
      .toBe(1);
    let report: Page | undefined;
    await expect
      .poll(async () => {
        for (const page of await firefox.browser.pages()) {
          const href = await page.evaluate(() => location.href).catch(() => '');
          if (href === url) report = page;
        }
        return !!report;
      }, POLL)
      .toBe(true);
    await checkLandingView(report!, 'report');
    await checkReportPage(report!);
    await checkAccessibility(report!);
    await screenshot(report!, 'report', 'light');
  });

  it('follows a dark system theme, in the popup and the report page', async () => {
    const dark = await auditedFirefox(server, 'dark');
    try {
      const popup = await dark.firefox.openExtensionPage(`popup.html?tab=${dark.tabId}`);
      await checkLandingView(popup, 'popup');
      await screenshot(popup, 'popup', 'dark');
      const report = await dark.firefox.openExtensionPage(`report.html?tab=${dark.tabId}`);
      await checkLandingView(report, 'report');
      await screenshot(report, 'report', 'dark');
    } finally {
      await dark.firefox.close();
    }
  });
});
