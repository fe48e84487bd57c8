/**
 * Launches Debian's Chromium (headless, fresh temp profile) with the built extension and the fixture
 * server's hostnames, through Playwright. See /work/shared/design/browser-testing.md for why each flag is here.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { FixtureServer } from '../../fixtures/server.ts';
import { waitForExtensionReady } from './extension-client.ts';
import { CHROME_BUILD } from './paths.ts';

export { waitForExtensionReady };

export const CHROMIUM_PATH = '/usr/lib/chromium/chromium';

export interface LaunchChromiumOptions {
  server: FixtureServer;
  /** Load the built extension (default true). */
  extension?: boolean;
  /** Unpacked extension folder (default `.output/chrome-mv3`). */
  extensionPath?: string;
  /** 'allow' seeds `profile.cookie_controls_mode` 0 (Chrome's default), 'block' seeds 1 (not 2: incognito only). */
  thirdPartyCookies?: 'allow' | 'block';
  /** Extra command-line flags. */
  args?: string[];
}

/** One service-worker version as CDP `ServiceWorker.workerVersionUpdated` reports it. */
export interface ServiceWorkerVersion {
  versionId: string;
  registrationId: string;
  scriptURL: string;
  runningStatus: string; // 'stopped' | 'starting' | 'running' | 'stopping'
  status: string; // 'new' | 'installing' | 'installed' | 'activating' | 'activated' | 'redundant'
}

export interface ChromiumHarness {
  context: BrowserContext;
  /** Extension id (host of the service-worker URL); undefined when launched without the extension. */
  extensionId: string | undefined;
  /** `chrome-extension://<id>/<path>`. Throws without the extension. */
  extensionUrl(path: string): string;
  /** Opens an extension page in a new tab and waits for its load. */
  openExtensionPage(path: string): Promise<Page>;
  /** Current service-worker versions (CDP); waits until the extension's worker is listed. */
  serviceWorkerVersions(timeoutMs?: number): Promise<ServiceWorkerVersion[]>;
  /** Stops every service worker (CDP) and resolves once all report `runningStatus: 'stopped'`. */
  stopServiceWorkers(timeoutMs?: number): Promise<ServiceWorkerVersion[]>;
  waitForExtensionReady(page: Page, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Closes the browser and removes the temp profile. */
  close(): Promise<void>;
}

export async function launchChromium(options: LaunchChromiumOptions): Promise<ChromiumHarness> {
  const { server, extension = true, thirdPartyCookies = 'allow' } = options;
  const extensionPath = resolve(options.extensionPath ?? CHROME_BUILD);
  if (extension && !existsSync(join(extensionPath, 'manifest.json'))) {
    throw new Error(`no built extension at ${extensionPath}: run \`npm run build\` first`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'consent-auditor-chromium-'));
  await mkdir(join(profile, 'Default'), { recursive: true });
  // Debian's Chromium blocks third-party cookies by default. CookieControlsMode: 0 = allow (Chrome's
  // default), 1 = block third-party cookies, 2 = block in incognito only (so 2 ALLOWS them here).
  const mode = thirdPartyCookies === 'block' ? 1 : 0;
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: mode } }));

  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--host-resolver-rules=${server.hostResolverRules}`,
    `--ignore-certificate-errors-spki-list=${server.spkiHash}`,
    ...(extension ? [`--load-extension=${extensionPath}`, `--disable-extensions-except=${extensionPath}`] : []),
    ...(options.args ?? []),
  ];
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      ignoreDefaultArgs: ['--disable-extensions'],
      args,
      timeout: 30_000,
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

  /** Runs `fn` with a CDP session that has ServiceWorker enabled and a live map of versions. */
  async function withServiceWorkers<T>(
    fn: (cdp: CDPSession, versions: Map<string, ServiceWorkerVersion>, changed: () => Promise<void>) => Promise<T>,
  ): Promise<T> {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    const versions = new Map<string, ServiceWorkerVersion>();
    let wake: () => void = () => undefined;
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
      for (const v of event.versions) versions.set(v.versionId, v as ServiceWorkerVersion);
      wake();
    });
    const changed = (): Promise<void> => new Promise<void>((r) => (wake = r));
    try {
      await cdp.send('ServiceWorker.enable');
      return await fn(cdp, versions, changed);
    } finally {
      await cdp.send('ServiceWorker.disable').catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    }
  }

  /** Waits (event-driven, bounded) until `done()` holds. */
  async function until(done: () => boolean, changed: () => Promise<void>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([changed(), new Promise<void>((r) => (timer = setTimeout(r, Math.min(left, 250))))]);
      clearTimeout(timer);
    }
  }

  const extensionListed = (versions: Map<string, ServiceWorkerVersion>): boolean =>
    !extensionId || [...versions.values()].some((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`));

  return {
    context,
    extensionId,
    extensionUrl,
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(extensionUrl(path));
      return page;
    },
    serviceWorkerVersions: (timeoutMs = 10_000) =>
      withServiceWorkers(async (_cdp, versions, changed) => {
        await until(() => extensionListed(versions), changed, timeoutMs, "the extension's service worker to be listed");
        return [...versions.values()];
      }),
    stopServiceWorkers: (timeoutMs = 10_000) =>
      withServiceWorkers(async (cdp, versions, changed) => {
        await until(() => extensionListed(versions), changed, timeoutMs, "the extension's service worker to be listed");
        await cdp.send('ServiceWorker.stopAllWorkers');
        const allStopped = (): boolean => [...versions.values()].every((v) => v.runningStatus === 'stopped');
        await until(allStopped, changed, timeoutMs, 'every service worker to report runningStatus "stopped"');
        return [...versions.values()];
      }),
    waitForExtensionReady: (page, timeoutMs) => waitForExtensionReady(page, timeoutMs),
    async close() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 15_000)));
      const result = await Promise.race([context.close().then(() => 'closed' as const), timeout]);
      clearTimeout(timer);
      if (result === 'timeout') context.browser()?.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 200 });
    },
  };
}
