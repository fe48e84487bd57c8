import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { serviceWorkerTools } from '../../scripts/browser/service-workers';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { openEvidencePage } from './evidence-session';
import { POLL } from './poll';

const WRITES = 10_000;
const REQUESTS = 2_000;

const burstWrites = (r: AuditReport) =>
  r.observations.storage.filter((s) => s.action === 'set' && s.key.startsWith('burst_'));
const burstRequests = (r: AuditReport) =>
  r.observations.requests.filter((q) => q.url.includes('/consent/burst-ping?i='));
const distinct = (values: string[]) => new Set(values).size;

/** Nothing lost, or the loss stated: the report's counts equal what burst.html made. */
describe.each(['chromium', 'firefox'] as const)('bursts in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`records ${WRITES} storage writes and ${REQUESTS} requests, each exactly once`, async () => {
    const page = await openEvidencePage(kind, server, `burst.html?writes=${WRITES}&requests=${REQUESTS}`);
    try {
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { __burst: { done: boolean } }).__burst.done), {
          ...POLL,
          timeout: 60_000,
        })
        .toBe(true);
      const report = await page.report(
        (r) => burstWrites(r).length >= WRITES && burstRequests(r).length >= REQUESTS,
        60_000,
      );
      expect(burstWrites(report)).toHaveLength(WRITES);
      expect(distinct(burstWrites(report).map((s) => s.key))).toBe(WRITES);
      expect(burstWrites(report).every((s) => s.source === 'page-hook')).toBe(true);
      expect(burstRequests(report)).toHaveLength(REQUESTS);
      expect(distinct(burstRequests(report).map((q) => q.url))).toBe(REQUESTS);
      expect(report.provenance.notes.join('\n')).not.toMatch(/may be missing|forged/);
    } finally {
      await page.close();
    }
  });

  it.runIf(kind === 'chromium')(
    'loses no page event and duplicates nothing across five worker stops; states what may be missing',
    async () => {
      const page = await openEvidencePage(kind, server, `burst.html?writes=${WRITES}&requests=${REQUESTS}&spread=1`);
      try {
        const workers = serviceWorkerTools(page.chromium!.context, page.chromium!.extensionId);
        for (let stop = 0; stop < 5; stop++) await workers.stopServiceWorkers(20_000);
        await expect
          .poll(() => page.evaluate(() => (window as unknown as { __burst: { done: boolean } }).__burst.done), {
            ...POLL,
            timeout: 60_000,
          })
          .toBe(true);
        const report = await page.report((r) => burstWrites(r).length >= WRITES, 60_000);
        // Page-world events are resent until the background wrote them: all there, once each.
        expect(burstWrites(report)).toHaveLength(WRITES);
        expect(distinct(burstWrites(report).map((s) => s.key))).toBe(WRITES);
        // Browser events cannot be resent: none twice, and if any may be missing the report says why.
        const requests = burstRequests(report);
        expect(distinct(requests.map((q) => q.url))).toBe(requests.length);
        // The stops happened during this audit, and the report says what they may have cost.
        expect(report.provenance.notes.join('\n')).toMatch(/background restarted [1-9]\d* time\(s\).*may be missing/);
        console.log(`requests recorded across worker stops: ${requests.length} of ${REQUESTS}`);
      } finally {
        await page.close();
      }
    },
  );

  it.runIf(kind === 'firefox')(
    'loses no page event and duplicates nothing while the event page is suspended between bursts',
    async () => {
      const writes = 2_000;
      const requests = 400;
      const page = await openEvidencePage(
        kind,
        server,
        `burst.html?writes=${writes}&requests=${requests}&spread=1&pauseEvery=2&pauseMs=2500`,
        { 'extensions.background.idle.timeout': 1_000 },
      );
      try {
        await expect
          .poll(() => page.evaluate(() => (window as unknown as { __burst: { done: boolean } }).__burst.done), {
            ...POLL,
            timeout: 90_000,
          })
          .toBe(true);
        const report = await page.report((r) => burstWrites(r).length >= writes, 60_000);
        expect(burstWrites(report)).toHaveLength(writes);
        expect(distinct(burstWrites(report).map((s) => s.key))).toBe(writes);
        const recorded = burstRequests(report);
        expect(distinct(recorded.map((q) => q.url))).toBe(recorded.length);
        const notes = report.provenance.notes.join('\n');
        if (recorded.length < requests)
          expect(notes).toMatch(/background restarted [1-9]\d* time\(s\).*may be missing/);
        console.log(
          `firefox: ${recorded.length} of ${requests} requests; ${notes.match(/restarted \d+/)?.[0] ?? 'no restart'}`,
        );
      } finally {
        await page.close();
      }
    },
    150_000,
  );
});
