/**
 * Nothing leaks: a visitor id the page keeps in localStorage and sends to a third party under a
 * parameter name no list knows is redacted from the report, because it equals a recorded storage
 * value (the page hook sends digests of short values, never the values).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { openEvidencePage } from './evidence-session';
import { POLL } from './poll';

describe.each(['chromium', 'firefox'] as const)('identifiers from web storage in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(['', '?via=realm'])(
    'redacts a URL parameter that carries a recorded localStorage value (%s)',
    async (via) => {
      const page = await openEvidencePage(kind, server, `storage-id-sync.html${via}`);
      try {
        await expect
          .poll(() => page.evaluate(() => (window as unknown as { __sync?: { done: boolean } }).__sync?.done), POLL)
          .toBe(true);
        const vid = await page.evaluate(() => (window as unknown as { __sync: { vid: string } }).__sync.vid);
        // Ground truth: the server saw the raw id in the pixel's URL.
        const hit = await server.waitForHit(
          { host: 'www.facebook.com', path: new RegExp(`^/tr\\?.*xid=${vid}`) },
          POLL.timeout,
        );
        expect(hit.path).toContain(`xid=${vid}`);
        const report = await page.report(
          (r) =>
            r.observations.storage.some((s) => s.key === '_vid') &&
            r.observations.requests.some((q) => q.host === 'www.facebook.com' && q.url.includes('xid=')),
        );
        const pixel = report.observations.requests.find(
          (q) => q.host === 'www.facebook.com' && q.url.includes('xid='),
        )!;
        expect(pixel.url).toMatch(new RegExp(`xid=\\[redacted:${vid.length}:[0-9a-f]{8}\\]`));
        expect(JSON.stringify(report)).not.toContain(vid);
        expect(JSON.stringify(report)).not.toContain('valueDigests');
        // Written with natives the hook does not wrap: only a snapshot saw it, and its digests redact too.
        const bypassed = await page.evaluate(
          () => (window as unknown as { __sync: { bypassed: boolean } }).__sync.bypassed,
        );
        if (bypassed)
          expect(report.observations.storage.find((s) => s.key === '_vid')).toMatchObject({
            seenBy: 'snapshot',
            source: 'page-state',
          });
        console.log(`${kind} storage-id-sync${via}: _vid seen by ${bypassed ? 'snapshot' : 'hook'}`);
      } finally {
        await page.close();
      }
    },
  );
});
