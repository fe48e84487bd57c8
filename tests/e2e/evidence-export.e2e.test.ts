import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { serviceWorkerTools } from '../../scripts/browser/service-workers';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { getReport } from './harness/extension-client';
import { openEvidencePage } from './evidence-session';
import { POLL } from './poll';

const WRITES = 3_000;
const REQUESTS = 300;
const ROUNDS = 3;

const writes = (r: AuditReport) =>
  r.observations.storage.filter((s) => s.action === 'set' && s.key.startsWith('burst_'));
const requests = (r: AuditReport) => r.observations.requests.filter((q) => q.url.includes('/consent/burst-ping?i='));

/** What burst.html made, exactly once each: the ground truth every complete export must carry. */
function expectComplete(report: AuditReport): void {
  expect(writes(report)).toHaveLength(WRITES);
  expect(new Set(writes(report).map((s) => s.key)).size).toBe(WRITES);
  expect(requests(report)).toHaveLength(REQUESTS);
  expect(new Set(requests(report).map((q) => q.url)).size).toBe(REQUESTS);
}

/**
 * The worker stopped while it builds the report an export asks for (the popup's export and the
 * command line both take the report from `get-report`): the export completes, or fails with a
 * message, and asking again gives the whole report. Chromium only: Firefox does not suspend its
 * event page while a message is being answered, and no API stops it on demand.
 */
describe('an export across a worker stop in chromium', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('completes or fails clearly, and a retry exports everything, once', async () => {
    const page = await openEvidencePage('chromium', server, `burst.html?writes=${WRITES}&requests=${REQUESTS}`);
    try {
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { __burst: { done: boolean } }).__burst.done), POLL)
        .toBe(true);
      expectComplete(await page.report((r) => writes(r).length >= WRITES && requests(r).length >= REQUESTS, 60_000));
      const workers = serviceWorkerTools(page.chromium!.context, page.chromium!.extensionId);
      const prefix = page.url.split('?')[0]!;
      const outcomes: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const [exported, stopped] = await Promise.allSettled([
          getReport(page.control, prefix),
          workers.stopServiceWorkers(20_000),
        ]);
        expect(stopped.status).toBe('fulfilled');
        if (exported.status === 'fulfilled' && exported.value.ok) {
          expectComplete(exported.value.value);
          outcomes.push('completed');
        } else {
          // A clear failure: an error or a refusal with a message, never a partial report.
          const why =
            exported.status === 'rejected'
              ? String((exported.reason as Error)?.message ?? exported.reason)
              : exported.value.ok
                ? ''
                : exported.value.refusal.message;
          expect(why.length).toBeGreaterThan(0);
          outcomes.push(`failed: ${why.slice(0, 80)}`);
        }
        // The retry, on the worker the next message wakes.
        const retry = await page.report((r) => writes(r).length >= WRITES && requests(r).length >= REQUESTS, 60_000);
        expectComplete(retry);
        expect(retry.provenance.notes.join('\n')).toMatch(/background restarted [1-9]\d* time\(s\)/);
      }
      console.log(`exports across worker stops: ${outcomes.join('; ')}`);
    } finally {
      await page.close();
    }
  });
});
