/**
 * Chromium service-worker control over CDP: list the extension's worker and stop every worker, to
 * prove that an MV3 audit survives the worker being killed. Playwright does not notice the stop or
 * the restart, so this listens to `ServiceWorker.workerVersionUpdated` itself.
 */
import type { BrowserContext, CDPSession } from 'playwright-core';

/** One service-worker version as CDP `ServiceWorker.workerVersionUpdated` reports it. */
export interface ServiceWorkerVersion {
  versionId: string;
  registrationId: string;
  scriptURL: string;
  runningStatus: string; // 'stopped' | 'starting' | 'running' | 'stopping'
  status: string; // 'new' | 'installing' | 'installed' | 'activating' | 'activated' | 'redundant'
}

export interface ServiceWorkerTools {
  /** Current service-worker versions (CDP); waits until the extension's worker is listed. */
  serviceWorkerVersions(timeoutMs?: number): Promise<ServiceWorkerVersion[]>;
  /** Stops every service worker (CDP) and resolves once all report `runningStatus: 'stopped'`. */
  stopServiceWorkers(timeoutMs?: number): Promise<ServiceWorkerVersion[]>;
}

type Changed = () => Promise<void>;

/** Waits (event-driven, bounded) until `done()` holds. */
async function until(done: () => boolean, changed: Changed, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([changed(), new Promise<void>((r) => (timer = setTimeout(r, Math.min(left, 250))))]);
    clearTimeout(timer);
  }
}

/** Service-worker tools for one Chromium context; `extensionId` narrows "listed" to our worker. */
export function serviceWorkerTools(context: BrowserContext, extensionId: string | undefined): ServiceWorkerTools {
  /** Runs `fn` with a CDP session that has ServiceWorker enabled and a live map of versions. */
  async function withServiceWorkers<T>(
    fn: (cdp: CDPSession, versions: Map<string, ServiceWorkerVersion>, changed: Changed) => Promise<T>,
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

  const extensionListed = (versions: Map<string, ServiceWorkerVersion>): boolean =>
    !extensionId || [...versions.values()].some((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`));

  return {
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
  };
}
