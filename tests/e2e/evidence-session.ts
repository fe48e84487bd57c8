/**
 * A browser session on one fixture page with the built extension, that keeps the page open so a
 * test can read the page's own ground truth (window globals) and click it for real. Shared by the
 * evidence suites (storage, consent, load) in Chromium and Firefox.
 */
import type { AuditReport } from '../../lib/report/types';
import type { FixtureServer } from '../../scripts/fixture-server/server';
import type { ChromiumSession } from '../../scripts/browser/chromium';
import { launchChromium } from './harness/chromium';
import { launchFirefox } from './harness/firefox';
import type { EvaluatingPage } from './harness/extension-client';
import { waitForReport } from './report-helpers';

export interface EvidencePage {
  url: string;
  control: EvaluatingPage;
  /** Evaluates in the page's main world. */
  evaluate<T>(fn: () => T): Promise<T>;
  /** A real (isTrusted) click. */
  click(selector: string): Promise<void>;
  report(done: (r: AuditReport) => boolean, timeoutMs?: number): Promise<AuditReport>;
  /**
   * Writes the page origin's localStorage from outside the page world (Chromium: CDP DOMStorage;
   * Firefox: a WebDriver BiDi sandbox, whose natives the page hook does not wrap): a write no hook
   * sees, which only the isolated world's snapshots can find.
   */
  writeStorageUnseen(key: string, value: string): Promise<void>;
  chromium?: ChromiumSession;
  close(): Promise<void>;
}

export async function openEvidencePage(
  kind: 'chromium' | 'firefox',
  server: FixtureServer,
  path: string,
  firefoxPrefs?: Record<string, unknown>,
): Promise<EvidencePage> {
  const url = `https://www.o2toit.com/consent/${path}`;
  const prefix = url.split('?')[0]!;
  if (kind === 'chromium') {
    const session = await launchChromium({ server });
    const control = (await session.openExtensionPage('popup.html')) as unknown as EvaluatingPage;
    await session.waitForExtensionReady(control as never);
    const page = await session.context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    return {
      url,
      control,
      evaluate: (fn) => page.evaluate(fn),
      click: (selector) => page.click(selector),
      report: (done, timeoutMs = 30_000) => waitForReport(control, prefix, done, timeoutMs),
      writeStorageUnseen: async (key, value) => {
        const cdp = await session.context.newCDPSession(page);
        try {
          await cdp.send('DOMStorage.enable');
          await cdp.send('DOMStorage.setDOMStorageItem', {
            storageId: { securityOrigin: new URL(url).origin, isLocalStorage: true },
            key,
            value,
          });
        } finally {
          await cdp.detach().catch(() => undefined);
        }
      },
      chromium: session,
      close: () => session.close(),
    };
  }
  const session = await launchFirefox({ server, ...(firefoxPrefs ? { prefs: firefoxPrefs } : {}) });
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
      // puppeteer's own sandbox realm (BiDi script.evaluate with a sandbox): Xray natives, no page hook.
      const frame = page.mainFrame() as unknown as {
        isolatedRealm(): { evaluate(fn: (k: string, v: string) => void, k: string, v: string): Promise<void> };
      };
      await frame.isolatedRealm().evaluate((k, v) => localStorage.setItem(k, v), key, value);
    },
    close: () => session.close(),
  };
}
