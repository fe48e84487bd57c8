import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { runScenario } from './consent-scenarios';
import { ROOT } from './harness/paths';

const PAGE = 'id-sync.html';
/** The visitor id the fixture page writes and syncs, read from the page itself. */
const SYNC_ID = (() => {
  const html = readFileSync(join(ROOT, 'tests/fixtures/sites/www.o2toit.com/consent', PAGE), 'utf8');
  const id = /const SYNC_ID = '([^']+)'/.exec(html)?.[1];
  if (!id) throw new Error(`${PAGE} no longer declares SYNC_ID`);
  return id;
})();
const PIXEL = 'https://www.123stat.com/sync.gif?p=';
const pixel = (r: AuditReport) => r.observations.requests.find((q) => q.url.startsWith(PIXEL));
const cookieSet = (r: AuditReport) => r.observations.cookies.some((c) => c.name === 'o2_sync_id' && c.action === 'set');
const syncs = (r: AuditReport) => r.findings.filter((f) => f.rule === 'identifier-shared-with-third-party');

/** A first-party id sent base64-encoded to a third party before consent is cookie syncing; a non-identifier is not. */
describe.each(['chromium', 'firefox'] as const)('identifier syncing in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('flags the site id sent base64-encoded in a pixel URL before consent, naming both ends, value redacted', async () => {
    const { report } = await runScenario(kind, server, {
      page: PAGE,
      action: 'none',
      ready: (r) => cookieSet(r) && !!pixel(r),
      settled: () => true,
    });
    // The server saw the id, in base64, in the pixel's URL...
    const hit = server.hits.find((h) => h.host === 'www.123stat.com' && h.path.startsWith('/sync.gif?'));
    expect(new URL(hit!.url).searchParams.get('p')).toBe(btoa(SYNC_ID));
    // ...and the audit says so, with both ends named.
    const request = pixel(report)!;
    expect(request.sharedIdentifiers).toEqual([
      expect.objectContaining({
        kind: 'cookie',
        name: 'o2_sync_id',
        domain: 'www.o2toit.com',
        encoding: 'base64',
        at: 'query p',
      }),
    ]);
    expect(syncs(report).map((f) => f.id)).toEqual([
      'identifier-shared-with-third-party:cookie:o2_sync_id@www.o2toit.com>123stat.com',
    ]);
    const f = syncs(report)[0]!;
    expect(f.phase).toBe('before-consent');
    expect(f.evidence.map((e) => e.kind).sort()).toEqual(['cookie', 'request']);
    expect(f.evidence.find((e) => e.kind === 'request')!.host).toBe('www.123stat.com');
    expect(f.evidence.find((e) => e.kind === 'request')!.note).toContain('base64');
    // No trace of the value, raw or in base64, anywhere in the report.
    const json = JSON.stringify(report);
    for (const leak of [SYNC_ID, btoa(SYNC_ID), encodeURIComponent(btoa(SYNC_ID))]) expect(json).not.toContain(leak);
  });

  it('does not flag the same page sending a non-identifier value', async () => {
    const { report } = await runScenario(kind, server, {
      page: `${PAGE}?control=1`,
      action: 'none',
      ready: (r) => cookieSet(r) && !!pixel(r),
      settled: () => true,
    });
    expect(new URL(pixel(report)!.url).searchParams.get('p')).toBe(btoa('fr-FR|desktop'));
    expect(pixel(report)!.sharedIdentifiers).toBeUndefined();
    expect(syncs(report)).toEqual([]);
  });
});
