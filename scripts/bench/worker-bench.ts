/**
 * Worker wake-up in Chromium: the MV3 service worker is stopped over CDP, then an extension page asks
 * for the background's status until it answers ready; the time from the first ask (which starts the
 * worker) to "ready to record" is measured inside the page, so no driver round trip is counted.
 */
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH, launchChromium } from '../browser/chromium.ts';
import { CHROME_BUILD } from '../browser/paths.ts';
import { serviceWorkerTools } from '../browser/service-workers.ts';
import { figure, median, type BenchResult } from './stats.ts';

const ROUNDS = 10;

export async function workerBench(): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM_PATH) || !existsSync(CHROME_BUILD)) {
    return [{ id: 'worker-wake', label: 'Worker wake-up', skipped: `needs ${CHROMIUM_PATH} and npm run build` }];
  }
  const session = await launchChromium({ hostResolverRules: 'MAP * ~NOTFOUND' });
  try {
    const tools = serviceWorkerTools(session.context, session.extensionId);
    const page = await session.openExtensionPage('popup.html');
    await session.waitForExtensionReady(page);
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await tools.stopServiceWorkers();
      samples.push(
        await page.evaluate(async () => {
          const api = (globalThis as any).browser ?? (globalThis as any).chrome;
          const start = performance.now();
          for (;;) {
            const answer = await api.runtime.sendMessage({ type: 'status' }).catch(() => undefined);
            const status = answer?.value ?? answer; // protocol answers are { ok, value }
            if (status?.ready === true) return performance.now() - start;
          }
        }, undefined),
      );
    }
    return [
      figure('worker-wake', 'Worker wake-up to ready to record (Chromium)', median(samples), 'ms', 100, {
        rounds: ROUNDS,
        samplesMs: samples,
      }),
    ];
  } finally {
    await session.close();
  }
}
