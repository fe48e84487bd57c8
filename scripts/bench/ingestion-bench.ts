/**
 * Ingestion: the fixture's burst page makes 10,000 storage writes and 2,000 requests within seconds;
 * the report must count exactly what the page made, without and with five service-worker stops
 * during the burst (Chromium). Figures are events missing from the report (budget 0), with the
 * counts made and recorded, and the worker's peak JS heap during the burst (CDP, sampled; budget 50 MB).
 */
import { existsSync } from 'node:fs';
import type { AuditReport } from '../../lib/report/types.ts';
import { CHROMIUM_PATH, launchChromium } from '../browser/chromium.ts';
import { getReport, type EvaluatingPage } from '../browser/extension-client.ts';
import { CHROME_BUILD } from '../browser/paths.ts';
import { serviceWorkerTools } from '../browser/service-workers.ts';
import { startFixtureServer } from '../fixture-server/server.ts';
import { figure, type BenchResult } from './stats.ts';
import { sampleWorkerHeap, type HeapPeak } from './worker-heap.ts';

const WRITES = 10_000;
const REQUESTS = 2_000;
const PAGE = 'https://www.o2toit.com/consent/burst.html';

const counts = (r: AuditReport) => ({
  writes: new Set(
    r.observations.storage.filter((s) => s.action === 'set' && s.key.startsWith('burst_')).map((s) => s.key),
  ).size,
  requests: new Set(r.observations.requests.filter((q) => q.url.includes('/consent/burst-ping?i=')).map((q) => q.url))
    .size,
  // Of those, the requests webRequest missed (worker stops), recovered from the page's Resource Timing.
  recovered: r.observations.requests.filter((q) => q.seenBy === 'resource-timing').length,
});

async function run(stops: number): Promise<{ writes: number; requests: number; recovered: number; heap?: HeapPeak }> {
  const server = await startFixtureServer();
  const session = await launchChromium({
    hostResolverRules: server.hostResolverRules,
    ignoreCertificateErrorsSpkiList: server.spkiHash,
  });
  try {
    const control = (await session.openExtensionPage('popup.html')) as unknown as EvaluatingPage;
    await session.waitForExtensionReady(control as never);
    // Sampled in the run without stops only: a debugger attached to the worker must not change how it stops.
    const heap = stops ? undefined : await sampleWorkerHeap(session.context, control as never, session.extensionId!);
    const page = await session.context.newPage();
    if (heap) {
      // The worker at rest first (its knowledge base, filter engine and listeners), for the burst to compare with.
      heap.mark('idle');
      await new Promise((r) => setTimeout(r, 2_000));
    }
    heap?.mark('burst');
    await page.goto(`${PAGE}?writes=${WRITES}&requests=${REQUESTS}${stops ? '&spread=1' : ''}`, { waitUntil: 'load' });
    const workers = serviceWorkerTools(session.context, session.extensionId);
    for (let i = 0; i < stops; i++) await workers.stopServiceWorkers(20_000);
    await page.waitForFunction(
      () => (window as unknown as { __burst?: { done: boolean } }).__burst?.done === true,
      null,
      {
        timeout: 120_000,
      },
    );
    heap?.mark('reports');
    // Settle: read reports until two in a row agree (every resent batch and late event is in).
    let last = { writes: -1, requests: -1, recovered: 0 };
    for (let i = 0; i < 60; i++) {
      const answer = await getReport(control, PAGE);
      if (!answer || !answer.ok) throw new Error(`no report: ${JSON.stringify(answer)}`);
      const now = counts(answer.value);
      if (now.writes === last.writes && now.requests === last.requests && now.writes >= WRITES) break;
      last = now;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    return { ...last, ...(heap ? { heap: await heap.stop() } : {}) };
  } finally {
    await session.close();
    await server.close();
  }
}

export async function ingestionBench(): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM_PATH) || !existsSync(CHROME_BUILD)) {
    return [{ id: 'ingestion', label: 'Ingestion under load', skipped: `needs ${CHROMIUM_PATH} and npm run build` }];
  }
  const results: BenchResult[] = [];
  for (const stops of process.env.BENCH_STOPS ? [Number(process.env.BENCH_STOPS)] : [0, 5]) {
    const got = await run(stops);
    const label = stops ? `with ${stops} worker stops during the burst` : 'burst';
    const made = { writes: WRITES, requests: REQUESTS };
    results.push(
      figure(
        `ingestion-writes-missing-${stops}`,
        `Storage writes missing from the report, ${label}`,
        WRITES - got.writes,
        'events',
        0,
        { made, recorded: got },
      ),
      figure(
        `ingestion-requests-missing-${stops}`,
        `Requests missing from the report, ${label}`,
        REQUESTS - got.requests,
        'events',
        0,
        { made, recorded: got },
      ),
    );
    if (got.heap?.samples)
      results.push(
        figure(
          'ingestion-worker-heap',
          'Worker JS heap, peak during the burst (Chromium)',
          got.heap.totalMb,
          'MB',
          50,
          {
            peakUsedMb: got.heap.usedMb,
            samples: got.heap.samples,
            ...(got.heap.byStage ? { byStage: got.heap.byStage } : {}),
          },
        ),
      );
  }
  return results;
}
