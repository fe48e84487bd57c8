/**
 * Launches Chromium headless in a fresh temporary profile with the built extension loaded, through
 * Playwright. Used by the command-line audit, the demo and the end-to-end tests. See
 * /work/shared/design/browser-testing.md for why each flag is here.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import type { StatusResponse } from '../../lib/messages.ts';
import { waitForExtensionReady } from './extension-client.ts';
import { CHROME_BUILD } from './paths.ts';
import { acceptLanguages, chromeUserAgent, DEFAULT_VISITOR, type VisitorSettings } from './visitor.ts';

/** Debian's real binary; `/usr/bin/chromium` is a shell wrapper that adds flags of its own. */
export const CHROMIUM_PATH = '/usr/lib/chromium/chromium';

export interface LaunchChromiumOptions {
  /** Chromium binary (default {@link CHROMIUM_PATH}). */
  executablePath?: string;
  /** Load the built extension (default true). */
  extension?: boolean;
  /** Unpacked extension folder (default `.output/chrome-mv3`). */
  extensionPath?: string;
  /** 'allow' seeds `profile.cookie_controls_mode` 0 (Chrome's default), 'block' seeds 1 (not 2: incognito only). */
  thirdPartyCookies?: 'allow' | 'block';
  /** Passed to `--host-resolver-rules`. */
  hostResolverRules?: string;
  /** base64 sha256 SPKI hashes whose certificates are accepted (`--ignore-certificate-errors-spki-list`). */
  ignoreCertificateErrorsSpkiList?: string;
  /** Accept any certificate (`--ignore-certificate-errors`). */
  ignoreHttpsErrors?: boolean;
  /** Extra command-line flags. */
  args?: string[];
  /** How the browser presents itself to sites (scripts/browser/visitor.ts); {@link DEFAULT_VISITOR} by default. */
  visitor?: VisitorSettings;
}

/** A running Chromium with its profile; `close()` removes the profile. */
export interface ChromiumSession {
  context: BrowserContext;
  /** Extension id (host of the service-worker URL); undefined when launched without the extension. */
  extensionId: string | undefined;
  /** `chrome-extension://<id>/<path>`. Throws without the extension. */
  extensionUrl(path: string): string;
  /** Opens an extension page in a new tab and waits for its load. */
  openExtensionPage(path: string): Promise<Page>;
  waitForExtensionReady(page: Page, timeoutMs?: number): Promise<StatusResponse>;
  /** Third-party cookie setting seeded into the profile, as the report's provenance states it. */
  thirdPartyCookies: 'allowed' | 'blocked';
  /** Closes the browser (bounded) and removes the temp profile. */
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile; throws with a reason when the binary or the extension is missing. */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<ChromiumSession> {
  const { extension = true, thirdPartyCookies = 'allow' } = options;
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  const extensionPath = resolve(options.extensionPath ?? CHROME_BUILD);
  if (extension && !existsSync(join(extensionPath, 'manifest.json'))) {
    throw new Error(`no built extension at ${extensionPath}: run \`npm run build\` first`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'consent-auditor-chromium-'));
  await mkdir(join(profile, 'Default'), { recursive: true });
  // Debian's Chromium blocks third-party cookies by default. CookieControlsMode: 0 = allow (Chrome's
  // default), 1 = block third-party cookies, 2 = block in incognito only (so 2 ALLOWS them here).
  const mode = thirdPartyCookies === 'block' ? 1 : 0;
  const visitor = options.visitor ?? DEFAULT_VISITOR;
  await writeFile(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({
      profile: { cookie_controls_mode: mode },
      intl: { accept_languages: acceptLanguages(visitor.locale).join(',') },
    }),
  );
  const userAgent = chromeUserAgent(executablePath);

  const args = [
    '--no-sandbox',
    '--disable-gpu',
    // Without these, Chromium's own traffic (updates, sync, probes) would reach audited hosts or fail noisily.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    // Chromium still calls Google on its own with the flags above: account checks (accounts.google.com),
    // an on-demand component update (update.googleapis.com) and a network-time query (clients2.google.com).
    // An audit must not add Google traffic to what it measures, so these go to hosts that cannot resolve
    // (RFC 2606 `.invalid`) or are switched off. tests/e2e/least-privilege.e2e.test.ts proves it.
    '--gaia-url=https://gaia.invalid',
    '--component-updater=url-source=https://components.invalid/service/update2/json',
    '--disable-features=NetworkTimeServiceQuerying',
    ...(options.hostResolverRules ? [`--host-resolver-rules=${options.hostResolverRules}`] : []),
    ...(options.ignoreCertificateErrorsSpkiList
      ? [`--ignore-certificate-errors-spki-list=${options.ignoreCertificateErrorsSpkiList}`]
      : []),
    ...(options.ignoreHttpsErrors ? ['--ignore-certificate-errors'] : []),
    // A visitor, not a bot: no `navigator.webdriver` (Playwright passes --enable-automation), no
    // "HeadlessChrome" (everywhere: pages, frames, workers, the extension's own worker, whose report
    // then states the version from it), the visitor's language and window. Not Playwright's
    // `userAgent` or `locale` options: they reach the extension's worker without client hints.
    '--disable-blink-features=AutomationControlled',
    `--user-agent=${userAgent}`,
    `--lang=${visitor.locale}`,
    `--window-size=${visitor.width},${visitor.height}`,
    ...(extension ? [`--load-extension=${extensionPath}`, `--disable-extensions-except=${extensionPath}`] : []),
    ...(options.args ?? []),
  ];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      ignoreDefaultArgs: ['--disable-extensions'],
      ignoreHTTPSErrors: options.ignoreHttpsErrors ?? false,
      args,
      timezoneId: visitor.timezone,
      viewport: { width: visitor.width, height: visitor.height },
      // Dedicated and service workers read the process's zone.
      env: { ...process.env, TZ: visitor.timezone },
      timeout: 30_000,
      // Our callers close the browser themselves on a signal, then remove the profile: Playwright's
      // own handlers would exit the process first and leave the profile behind.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }

  let extensionId: string | undefined;
  if (extension) {
    const isExt = (url: string): boolean => url.startsWith('chrome-extension://');
    try {
      const worker =
        context.serviceWorkers().find((w) => isExt(w.url())) ??
        (await context.waitForEvent('serviceworker', { predicate: (w) => isExt(w.url()), timeout: 15_000 }));
      extensionId = new URL(worker.url()).host;
    } catch (err) {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
      throw new Error(`extension service worker never appeared (${extensionPath}): ${String(err)}`);
    }
  }

  const extensionUrl = (path: string): string => {
    if (!extensionId) throw new Error('launched without the extension');
    return `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;
  };

  return {
    context,
    extensionId,
    extensionUrl,
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(extensionUrl(path));
      return page;
    },
    waitForExtensionReady: (page, timeoutMs) => waitForExtensionReady(page, timeoutMs),
    thirdPartyCookies: mode === 0 ? 'allowed' : 'blocked',
    async close() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 15_000)));
      const closing = context.close().then(
        () => 'closed' as const,
        () => 'failed' as const,
      );
      const result = await Promise.race([closing, timeout]);
      clearTimeout(timer);
      if (result === 'timeout')
        context
          .browser()
          ?.close()
          .catch(() => undefined);
      await rm(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 200 });
    },
  };
}
