/**
 * A browser session on one fixture page with the built extension and, on demand, the popup of
 * that page's tab, in Chromium (Playwright) or Firefox (puppeteer over WebDriver BiDi). Clicks on
 * the page are real input (isTrusted); the popup is driven through its DOM.
 */
import type { FixtureServer } from '../../scripts/fixture-server/server';
import { openEvidencePage, type EvidencePage } from './evidence-session';
import { launchFirefox } from './harness/firefox';
import { tabIdOf, type EvaluatingPage } from './harness/extension-client';
import { POLL } from './poll';
import { waitForReport } from './report-helpers';

export interface BannerPage extends EvidencePage {
  /** Opens the popup of the page's tab (`popup.html?tab=<id>`) in a tab of its own. */
  popup(): Promise<Popup>;
}

/** The popup, read and clicked through its DOM. */
export interface Popup {
  text(testId: string): Promise<string | undefined>;
  /** Clicks the popup button with this exact label. */
  press(label: string): Promise<void>;
}

const popupOf = (page: EvaluatingPage): Popup => ({
  text: (testId) =>
    page.evaluate(
      (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? undefined,
      testId,
    ),
  // The popup renders once it has the tab's report: wait for the button (bounded), then click it.
  press: async (label) => {
    const deadline = Date.now() + POLL.timeout;
    for (;;) {
      const pressed = await page.evaluate((l: string) => {
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === l);
        button?.click();
        return !!button;
      }, label);
      if (pressed) return;
      if (Date.now() > deadline) throw new Error(`no popup button "${label}"`);
      await new Promise((r) => setTimeout(r, POLL.interval));
    }
  },
});

export async function openBannerPage(
  kind: 'chromium' | 'firefox',
  server: FixtureServer,
  path: string,
): Promise<BannerPage> {
  if (kind === 'chromium') {
    const page = await openEvidencePage(kind, server, path);
    return {
      ...page,
      popup: async () => {
        const tabId = await tabIdOf(page.control, page.url.split('?')[0]!);
        const popup = await page.chromium!.context.newPage();
        await popup.goto(page.chromium!.extensionUrl(`popup.html?tab=${tabId}`));
        return popupOf(popup as unknown as EvaluatingPage);
      },
    };
  }
  // Firefox: the same as openEvidencePage, keeping the session to open the popup.
  const url = `https://www.o2toit.com/consent/${path}`;
  const prefix = url.split('?')[0]!;
  const session = await launchFirefox({ server });
  const control = (await session.openExtensionPage('popup.html')) as unknown as EvaluatingPage;
  await session.waitForExtensionReady(control as never);
  const page = await session.browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  return {
    url,
    control,
    evaluate: (fn) => page.evaluate(fn) as never,
    click: (selector) => page.click(selector),
    report: (done, timeoutMs = 30_000) => waitForReport(control, prefix, done, timeoutMs),
    writeStorageUnseen: async (key, value) => {
      // As in evidence-session.ts: puppeteer's own sandbox realm, no page hook.
      const frame = page.mainFrame() as unknown as {
        isolatedRealm(): { evaluate(fn: (k: string, v: string) => void, k: string, v: string): Promise<void> };
      };
      await frame.isolatedRealm().evaluate((k, v) => localStorage.setItem(k, v), key, value);
    },
    close: () => session.close(),
    popup: async () => {
      const tabId = await tabIdOf(control, prefix);
      const popup = await session.openExtensionPage(`popup.html?tab=${tabId}`);
      return popupOf(popup as unknown as EvaluatingPage);
    },
  };
}
