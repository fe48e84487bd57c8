import { randomBytes } from 'node:crypto';
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

  it('redacts a URL parameter carrying a value that only a storage snapshot saw', async () => {
    const page = await openEvidencePage(kind, server, 'storage-id-sync.html?via=outside');
    try {
      const vid = `v${randomBytes(6).toString('hex')}`;
      await page.writeStorageUnseen('_vid', vid);
      await expect
        .poll(() => page.evaluate(() => (window as unknown as { __sync?: { done: boolean } }).__sync?.done), POLL)
        .toBe(true);
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
      expect(report.observations.storage.filter((s) => s.key === '_vid')).toEqual([
        expect.objectContaining({ action: 'set', seenBy: 'snapshot', source: 'page-state', valueLength: vid.length }),
      ]);
      const pixel = report.observations.requests.find((q) => q.host === 'www.facebook.com' && q.url.includes('xid='))!;
      expect(pixel.url).toMatch(new RegExp(`xid=\\[redacted:${vid.length}:[0-9a-f]{8}\\]`));
      expect(JSON.stringify(report)).not.toContain(vid);
    } finally {
      await page.close();
    }
  });

  it('redacts a URL parameter that carries a recorded localStorage value', async () => {
    const page = await openEvidencePage(kind, server, 'storage-id-sync.html');
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
      const pixel = report.observations.requests.find((q) => q.host === 'www.facebook.com' && q.url.includes('xid='))!;
      expect(pixel.url).toMatch(new RegExp(`xid=\\[redacted:${vid.length}:[0-9a-f]{8}\\]`));
      expect(JSON.stringify(report)).not.toContain(vid);
      expect(JSON.stringify(report)).not.toContain('valueDigests');
    } finally {
      await page.close();
    }
  });
});
