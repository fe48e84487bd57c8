import { createHash } from 'node:crypto';
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
/** A `const NAME = '...'` the fixture page declares, read from the page itself. */
function planted(page: string, name: string): string {
  const html = readFileSync(join(ROOT, 'tests/fixtures/sites/www.o2toit.com/consent', page), 'utf8');
  const value = new RegExp(`const ${name} = '([^']+)'`).exec(html)?.[1];
  if (!value) throw new Error(`${page} no longer declares ${name}`);
  return value;
}
const POST_PAGE = 'id-sync-post.html';
const POST_ID = planted(POST_PAGE, 'POST_ID');
const STORAGE_ID = planted(POST_PAGE, 'STORAGE_ID');
const GA = planted(POST_PAGE, 'GA');
const STORAGE_SHA256 = createHash('sha256').update(STORAGE_ID).digest('hex');
const PIXEL = 'https://www.123stat.com/sync.gif?p=';
const pixel = (r: AuditReport) => r.observations.requests.find((q) => q.url.startsWith(PIXEL));
const cookieSet = (r: AuditReport) => r.observations.cookies.some((c) => c.name === 'o2_sync_id' && c.action === 'set');
const syncs = (r: AuditReport) => r.findings.filter((f) => f.rule === 'identifier-shared-with-third-party');

/**
 * A first-party id sent to a third party before consent is cookie syncing (base64 in a pixel URL,
 * in a beacon's JSON body, in a form body; a storage id as its SHA-256); a non-identifier, or a
 * vendor's own id going back to it, is not.
 */
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

  it('flags ids sent in a sendBeacon JSON body, a fetch POST form body and a hashed storage id; not the controls', async () => {
    const sent = {
      beacon: (q: { url: string }) => q.url === 'https://www.123stat.com/collect',
      form: (q: { url: string }) => q.url === 'https://www.facebook.com/tr/',
      hashed: (q: { url: string }) => q.url.startsWith('https://www.facebook.com/tr?id=1234&ev=PageView&ud'),
      short: (q: { url: string }) => q.url === 'https://www.123stat.com/prefs',
      ga: (q: { url: string }) => q.url.startsWith('https://region1.google-analytics.com/g/collect?v=2&tid=G-SYNC1'),
    };
    const { report } = await runScenario(kind, server, {
      page: POST_PAGE,
      action: 'none',
      ready: (r) =>
        Object.values(sent).every((is) => r.observations.requests.some(is)) &&
        r.observations.storage.some((s) => s.key === 'o2_vid') &&
        r.observations.cookies.some((c) => c.name === 'o2_post_id'),
      settled: () => true,
    });
    // Ground truth: the servers received the planted values, in the bodies and the query.
    const body = (path: string) => server.hits.find((h) => h.method === 'POST' && h.path === path)?.body ?? '';
    expect(JSON.parse(body('/collect')).events[0].user.id).toBe(POST_ID);
    expect(new URLSearchParams(body('/tr/')).get('external_id')).toBe(POST_ID);
    const hashedHit = server.hits.find((h) => h.host === 'www.facebook.com' && h.path.startsWith('/tr?id=1234'));
    expect(new URL(hashedHit!.url).searchParams.get('ud[external_id]')).toBe(STORAGE_SHA256);
    expect(body('/g/collect?v=2&tid=G-SYNC1')).toContain(`cid=${GA.split('.').slice(2).join('.')}`);

    const request = (is: (q: { url: string }) => boolean) => report.observations.requests.find(is)!;
    const cookie = { kind: 'cookie', name: 'o2_post_id', domain: 'www.o2toit.com', encoding: 'raw' };
    expect(request(sent.beacon).sharedIdentifiers).toEqual([
      expect.objectContaining({ ...cookie, at: 'body json events[0].user.id' }),
    ]);
    expect(request(sent.form).sharedIdentifiers).toEqual([
      expect.objectContaining({ ...cookie, at: 'body form external_id' }),
    ]);
    expect(request(sent.hashed).sharedIdentifiers).toEqual([
      expect.objectContaining({
        kind: 'storage',
        name: 'o2_vid',
        domain: 'https://www.o2toit.com',
        hash: 'sha256',
        at: 'query ud[external_id]',
      }),
    ]);
    // Controls: short values match nothing; Google's own id is recognised going back to Google...
    expect(request(sent.short).sharedIdentifiers).toBeUndefined();
    expect(request(sent.ga).sharedIdentifiers?.map((s) => s.name)).toEqual(['_ga']);
    // ...and only the three syncs are findings, each naming both ends.
    expect(
      syncs(report)
        .map((f) => f.id)
        .sort(),
    ).toEqual([
      'identifier-shared-with-third-party:cookie:o2_post_id@www.o2toit.com>123stat.com',
      'identifier-shared-with-third-party:cookie:o2_post_id@www.o2toit.com>facebook.com',
      'identifier-shared-with-third-party:storage:o2_vid@https://www.o2toit.com>facebook.com',
    ]);
    for (const f of syncs(report)) {
      expect(f.phase).toBe('before-consent');
      expect(f.evidence.map((e) => e.kind).sort()).toEqual([f.subject.kind, 'request'].sort());
    }
    // No value, hash or body content anywhere in the report.
    const json = JSON.stringify(report);
    for (const leak of [POST_ID, STORAGE_ID, STORAGE_SHA256]) expect(json).not.toContain(leak);
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
