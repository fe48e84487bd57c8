/**
 * Launches Firefox ESR headless (puppeteer-core over WebDriver BiDi) in a fresh profile, and installs
 * the built extension with a pinned moz-extension UUID. Used by the command-line audit and the tests.
 *
 * Cookies: Firefox's default (cookieBehavior 5, Total Cookie Protection) is left alone on purpose, so
 * third-party cookies such as _GRECAPTCHA are *partitioned* under the top-level site: they are stored
 * (with partitionKey {topLevelSite: 'https://o2toit.com'}), but `browser.cookies.getAll()` only returns
 * them when given `partitionKey: {}`. (puppeteer also writes `browser.contentblocking.features.standard =
 * ...cookieBehavior0...`; ESR 153 no longer reads that pref, checked: _GRECAPTCHA is partitioned.)
 * Tracking protection lists come from Safe Browsing, which puppeteer disables, so nothing is blocked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import type { StatusResponse } from '../../lib/messages.ts';
import { waitForExtensionReady } from './extension-client.ts';
import { FIREFOX_BUILD } from './paths.ts';
import { acceptLanguages, DEFAULT_VISITOR, type VisitorSettings } from './visitor.ts';

export const FIREFOX_PATH = '/usr/bin/firefox-esr';
/** Must match `GECKO_ID` in wxt.config.ts. */
export const GECKO_ID = 'consent-auditor@compliance.local';
/** Pinned through `extensions.webextensions.uuids`, so extension URLs are known before install. */
export const FIREFOX_EXTENSION_UUID = '5e1c2a7d-3f4b-4c8e-9a60-2d7b1f0e8c42';
/** How this profile treats third-party cookies, for the report's provenance. */
export const FIREFOX_THIRD_PARTY_COOKIES = 'partitioned (Firefox default: Total Cookie Protection)';
export const FIREFOX_TRACKING_PROTECTION = 'standard mode, no blocklists loaded (nothing blocked)';

/** Keeps Firefox's own background traffic (probes, DoH, prefetch) out of the audited network. */
export const QUIET_PREFS: Record<string, string | number | boolean> = {
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.trr.mode': 5, // no DNS-over-HTTPS
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'security.OCSP.enabled': 0,
};

/** Prefs that send every request through a forward proxy on 127.0.0.1 (localhost included). */
export function proxyPrefs(port: number): Record<string, string | number | boolean> {
  return {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': port,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': port,
    'network.proxy.share_proxy_settings': false,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    'network.http.http3.enable': false, // QUIC would bypass an HTTP proxy
  };
}

export interface LaunchFirefoxOptions {
  /** Firefox binary (default {@link FIREFOX_PATH}). */
  executablePath?: string;
  /** Install the built extension (default true). */
  extension?: boolean;
  /** Unpacked extension folder (default `.output/firefox-mv3`). */
  extensionPath?: string;
  /** Accept any certificate (WebDriver `acceptInsecureCerts`; default false). */
  acceptInsecureCerts?: boolean;
  /** Extra prefs, applied after {@link QUIET_PREFS}. */
  prefs?: Record<string, unknown>;
  /** How the browser presents itself to sites (scripts/browser/visitor.ts); {@link DEFAULT_VISITOR} by default. */
  visitor?: VisitorSettings;
}

/**
 * A visitor, not a bot: languages as the visitor's, and `dom.webdriver.enabled` off for the Firefox
 * versions that read it (ESR 153 does not: `navigator.webdriver` stays true while the remote agent
 * runs, checked; {@link presentAsVisitor} covers it). Firefox's user agent names no headless mode.
 */
export function visitorPrefs(visitor: VisitorSettings): Record<string, string | boolean> {
  return {
    'dom.webdriver.enabled': false,
    'intl.accept_languages': acceptLanguages(visitor.locale).join(', '),
    'intl.locale.requested': visitor.locale,
  };
}

/** A running Firefox with its profile; `close()` removes the profile. */
export interface FirefoxSession {
  browser: Browser;
  /** Id returned by the install (the gecko id), undefined without the extension. */
  extensionId: string | undefined;
  /** `moz-extension://<uuid>/<path>`. */
  extensionUrl(path: string): string;
  /** Opens an extension page in a new tab; resolves once it is loaded (page.goto never resolves there). */
  openExtensionPage(path: string, timeoutMs?: number): Promise<Page>;
  waitForExtensionReady(page: Page, timeoutMs?: number): Promise<StatusResponse>;
  /** Closes the browser (killing it if close hangs) and removes the profile. */
  close(): Promise<void>;
}

/**
 * Makes `navigator.webdriver` false in every document of the tab, frames included, before any of
 * the page's scripts run (a WebDriver BiDi preload script, through puppeteer). A script that looks
 * at the getter itself can still tell; libraries that hide from bots read the value.
 */
export async function presentAsVisitor(page: Page): Promise<Page> {
  await page.evaluateOnNewDocument(() => {
    // Preload scripts see the page through Xray wrappers: define on the page's own prototype.
    const w = window as unknown as { wrappedJSObject?: Window & typeof globalThis };
    const target = (w.wrappedJSObject ?? window).Navigator.prototype;
    const getter = (globalThis as { exportFunction?: <F>(f: F, scope: object) => F }).exportFunction;
    const get = getter && w.wrappedJSObject ? getter(() => false, w.wrappedJSObject) : () => false;
    Object.defineProperty(target, 'webdriver', { get, configurable: true, enumerable: true });
  });
  return page;
}

/** Launches Firefox with a fresh profile; throws with a reason when the binary or the extension is missing. */
export async function launchFirefox(options: LaunchFirefoxOptions = {}): Promise<FirefoxSession> {
  const { extension = true } = options;
  const extensionPath = resolve(options.extensionPath ?? FIREFOX_BUILD);
  if (extension && !existsSync(join(extensionPath, 'manifest.json'))) {
    throw new Error(`no built extension at ${extensionPath}: run \`npm run build\` first`);
  }
  // Our own profile dir: puppeteer writes its prefs into it, and we can remove it even after a kill.
  const profile = await mkdtemp(join(tmpdir(), 'consent-auditor-firefox-'));
  const visitor = options.visitor ?? DEFAULT_VISITOR;
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: options.executablePath ?? FIREFOX_PATH,
      headless: true,
      acceptInsecureCerts: options.acceptInsecureCerts ?? false,
      userDataDir: profile,
      args: ['--remote-allow-system-access'], // needed to open moz-extension:// pages
      // Release builds ignore the `services.settings.server` pref puppeteer sets unless this is set, and
      // keep trying firefox.settings.services.mozilla.com (refused, but noise in the audited network).
      env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1', TZ: visitor.timezone },
      defaultViewport: { width: visitor.width, height: visitor.height },
      timeout: 30_000,
      // Callers close the browser on a signal themselves, so the profile can be removed after it.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      extraPrefsFirefox: {
        ...QUIET_PREFS,
        ...visitorPrefs(visitor),
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
        ...options.prefs,
      },
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }

  const close = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 10_000)));
    const result = await Promise.race([
      browser.close().then(
        () => 'closed' as const,
        () => 'failed' as const,
      ),
      timeout,
    ]);
    clearTimeout(timer);
    if (result !== 'closed') {
      // browser.close() hangs now and then: kill the process (and wait for it, so the profile can go).
      const proc = browser.process();
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      }
    }
    await rm(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 200 });
  };

  let extensionId: string | undefined;
  if (extension) {
    try {
      extensionId = await browser.installExtension(extensionPath);
    } catch (err) {
      await close();
      throw new Error(`installing ${extensionPath} failed: ${String(err)}`);
    }
  }

  const extensionUrl = (path: string): string => `moz-extension://${FIREFOX_EXTENSION_UUID}/${path.replace(/^\//, '')}`;

  return {
    browser,
    extensionId,
    extensionUrl,
    async openExtensionPage(path, timeoutMs = 10_000) {
      const url = extensionUrl(path);
      const page = await browser.newPage();
      // Over BiDi, goto on a moz-extension:// page loads it but never resolves: ignore that, then poll.
      await page.goto(url, { timeout: 1_000 }).catch(() => undefined);
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        try {
          const state = await page.evaluate(() => ({ href: location.href, ready: document.readyState }));
          last = `${state.href} (${state.ready})`;
          if (state.href === url && state.ready === 'complete') return page;
        } catch (err) {
          last = String(err);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`extension page ${url} did not load within ${timeoutMs} ms (last: ${last})`);
    },
    waitForExtensionReady: (page, timeoutMs) => waitForExtensionReady(page, timeoutMs),
    close,
  };
}
