/**
 * One fresh browser profile with the built extension, behind the few operations a scenario needs, so
 * run-scenario.ts reads the same for Chromium (Playwright) and Firefox (puppeteer over BiDi).
 */
import { launchChromium } from '../browser/chromium.ts';
import type { EvaluatingPage } from '../browser/extension-client.ts';
import {
  FIREFOX_THIRD_PARTY_COOKIES,
  FIREFOX_TRACKING_PROTECTION,
  launchFirefox,
  presentAsVisitor,
  proxyPrefs,
} from '../browser/firefox.ts';
import { parseHostRules } from '../browser/host-rules.ts';
import { startRulesProxy } from '../browser/rules-proxy.ts';
import { DEFAULT_VISITOR, type VisitorSettings } from '../browser/visitor.ts';
import type { AuditOptions } from './parse-args.ts';
import { timed } from './timings.ts';

const visitorOf = (o: AuditOptions): VisitorSettings => ({
  ...DEFAULT_VISITOR,
  locale: o.locale,
  timezone: o.timezone,
});

/** A tab of the audited site. */
export interface SitePage extends EvaluatingPage {
  /** Navigates and waits for the load event; returns the final URL and HTTP status. Throws on network errors. */
  goto(url: string, timeoutMs: number): Promise<{ url: string; status: number | undefined }>;
  url(): string;
}

export interface BrowserSession {
  /** An extension page (popup.html in a tab) whose background answered `status` with ready. */
  control: EvaluatingPage;
  newPage(): Promise<SitePage>;
  /** How the profile treats third-party cookies, for the report's provenance. */
  thirdPartyCookies: string;
  trackingProtection?: string;
  close(): Promise<void>;
}

/** What Playwright's and puppeteer's pages have in common, as far as a scenario is concerned. */
interface DriverPage {
  evaluate(fn: (arg: any) => unknown, arg: any): Promise<any>;
  url(): string;
  goto(url: string, options: { waitUntil: 'load'; timeout: number }): Promise<{ status(): number } | null>;
}

function sitePage(page: DriverPage): SitePage {
  return {
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    url: () => page.url(),
    async goto(url, timeoutMs) {
      const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
      return { url: page.url(), status: response?.status() };
    },
  };
}

/** Launches the browser the options ask for, in a fresh profile, and waits for the extension. */
export async function openSession(
  options: AuditOptions,
  executablePath: string,
  extensionPath: string,
  lane = 'audit',
): Promise<BrowserSession> {
  return options.browser === 'firefox'
    ? openFirefox(options, executablePath, extensionPath, lane)
    : openChromium(options, executablePath, extensionPath, lane);
}

async function openChromium(
  options: AuditOptions,
  executablePath: string,
  extensionPath: string,
  lane: string,
): Promise<BrowserSession> {
  const chromium = await timed(lane, 'launch: browser', () =>
    launchChromium({
      executablePath,
      extensionPath,
      thirdPartyCookies: 'allow',
      visitor: visitorOf(options),
      ...(options.hostRules ? { hostResolverRules: options.hostRules } : {}),
      ignoreHttpsErrors: options.ignoreHttpsErrors,
    }),
  );
  try {
    const control = await timed(lane, 'launch: control page', () => chromium.openExtensionPage('popup.html'));
    await timed(lane, 'launch: ready', () => chromium.waitForExtensionReady(control));
    return {
      control,
      newPage: async () => sitePage(await chromium.context.newPage()),
      thirdPartyCookies: chromium.thirdPartyCookies,
      close: () => chromium.close(),
    };
  } catch (error) {
    await chromium.close();
    throw error;
  }
}

async function openFirefox(
  options: AuditOptions,
  executablePath: string,
  extensionPath: string,
  lane: string,
): Promise<BrowserSession> {
  // Firefox has no --host-resolver-rules: a loopback proxy applies the same rules to each connection.
  const proxy = options.hostRules ? await startRulesProxy(parseHostRules(options.hostRules)) : undefined;
  let firefox: Awaited<ReturnType<typeof launchFirefox>>;
  try {
    firefox = await timed(lane, 'launch: browser', () =>
      launchFirefox({
        executablePath,
        extensionPath,
        acceptInsecureCerts: options.ignoreHttpsErrors,
        visitor: visitorOf(options),
        ...(proxy ? { prefs: proxyPrefs(proxy.port) } : {}),
      }),
    );
  } catch (error) {
    await proxy?.close();
    throw error;
  }
  const close = async (): Promise<void> => {
    await firefox.close();
    await proxy?.close();
  };
  try {
    const control = await timed(lane, 'launch: control page', () => firefox.openExtensionPage('popup.html'));
    await timed(lane, 'launch: ready', () => firefox.waitForExtensionReady(control));
    return {
      control,
      newPage: async () => sitePage(await presentAsVisitor(await firefox.browser.newPage())),
      thirdPartyCookies: FIREFOX_THIRD_PARTY_COOKIES,
      trackingProtection: FIREFOX_TRACKING_PROTECTION,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
