/**
 * The extension service worker's JS heap, sampled through CDP while something runs, for its peak.
 * Playwright opens no CDP session on a worker, so a page's session attaches to the worker target
 * (not flattened) and talks to it through `Target.sendMessageToTarget`.
 */
import type { BrowserContext, Page } from 'playwright-core';

export interface HeapPeak {
  /** Highest `usedSize` seen, MB. */
  usedMb: number;
  /** Highest `totalSize` (heap committed by V8), MB: the figure judged, since it is what the worker holds. */
  totalMb: number;
  samples: number;
  /** The same peaks in each stretch named by `mark()` (the burst, the reports after it), MB. */
  byStage?: Record<string, { usedMb: number; totalMb: number }>;
}

type Targets = { targetInfos: Array<{ targetId: string; type: string; url: string }> };

/** Samples the worker's heap every `everyMs` until `stop()`; resolves to the peak, overall and per stage marked. */
export async function sampleWorkerHeap(
  context: BrowserContext,
  page: Page,
  extensionId: string,
  everyMs = 100,
): Promise<{ mark(stage: string): void; stop(): Promise<HeapPeak> }> {
  const cdp = await context.newCDPSession(page);
  let sessionId: string | undefined;
  let id = 0;
  const pending = new Map<number, (value: { usedSize?: number; totalSize?: number } | undefined) => void>();
  cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: { usedSize: number; totalSize: number } };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
    if (message.id !== undefined) pending.delete(message.id);
  });
  const attach = async () => {
    // A stopped worker comes back as a new target: attach again when the old session is gone.
    const { targetInfos } = (await cdp.send('Target.getTargets')) as Targets;
    const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(extensionId));
    if (!worker) return undefined;
    const attached = (await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })) as {
      sessionId: string;
    };
    return attached.sessionId;
  };
  const heap = () =>
    new Promise<{ usedSize?: number; totalSize?: number } | undefined>((resolve) => {
      const i = ++id;
      pending.set(i, resolve);
      setTimeout(() => resolve(undefined), 2_000); // a worker stopped meanwhile never answers
      cdp
        .send('Target.sendMessageToTarget', {
          sessionId: sessionId!,
          message: JSON.stringify({ id: i, method: 'Runtime.getHeapUsage' }),
        })
        .catch(() => resolve(undefined));
    });
  const peak: HeapPeak = { usedMb: 0, totalMb: 0, samples: 0 };
  let stage: { usedMb: number; totalMb: number } | undefined;
  let running = true;
  const loop = (async () => {
    while (running) {
      sessionId ??= await attach().catch(() => undefined);
      const usage = sessionId ? await heap() : undefined;
      if (usage?.usedSize !== undefined && usage.totalSize !== undefined) {
        peak.usedMb = Math.max(peak.usedMb, usage.usedSize / 2 ** 20);
        peak.totalMb = Math.max(peak.totalMb, usage.totalSize / 2 ** 20);
        peak.samples++;
        if (stage) {
          stage.usedMb = Math.max(stage.usedMb, usage.usedSize / 2 ** 20);
          stage.totalMb = Math.max(stage.totalMb, usage.totalSize / 2 ** 20);
        }
      } else sessionId = undefined;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    mark(name) {
      stage = (peak.byStage ??= {})[name] ??= { usedMb: 0, totalMb: 0 };
    },
    async stop() {
      running = false;
      await loop;
      await cdp.detach().catch(() => undefined);
      return peak;
    },
  };
}
