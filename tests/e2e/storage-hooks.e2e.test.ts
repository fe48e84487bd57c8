import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { runScenario } from './consent-scenarios';

const PAGE = 'https://www.o2toit.com/consent/storage.html';

/** Every kind of web-storage write reaches the report, with the script that made it, in both browsers. */
describe.each(['chromium', 'firefox'] as const)('web storage writes in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('records setItem, property assignment, removeItem, clear and IndexedDB opens with their script', async () => {
    const { report } = await runScenario(kind, server, {
      page: 'storage.html',
      action: 'none',
      ready: (r) => r.observations.storage.some((s) => s.area === 'indexedDB'),
      settled: (r) => r.observations.storage.some((s) => s.action === 'snapshot'),
    });
    const writes = report.observations.storage
      .filter((s) => s.action !== 'snapshot')
      .map((s) => `${s.area} ${s.action} ${s.key}`);
    expect(writes).toEqual(
      expect.arrayContaining([
        'localStorage set _hjSessionUser_42',
        'localStorage set o2_set',
        'localStorage set o2_prop',
        'localStorage remove o2_set',
        'sessionStorage set o2_tmp',
        'sessionStorage clear *',
        'indexedDB open o2-db',
      ]),
    );
    const by = (key: string) => report.observations.storage.find((s) => s.key === key && s.action === 'set')!;
    expect(by('_hjSessionUser_42').initiator).toBe('https://www.o2toit.com/consent/storage-writer.js');
    expect(by('o2_prop').initiator).toBe(PAGE);
    expect(by('_hjSessionUser_42').valueLength).toBeGreaterThan(20);
    // Values are never recorded.
    expect(JSON.stringify(report)).not.toContain('assigned-by-property');
    // Keys present at load are snapshotted by the isolated world.
    expect(report.observations.storage.filter((s) => s.action === 'snapshot').map((s) => s.key)).toEqual(
      expect.arrayContaining(['_hjSessionUser_42', 'o2_prop']),
    );
    expect(report.findings.map((f) => f.id)).toContain(
      'storage-before-consent:_hjSessionUser_42@https://www.o2toit.com',
    );
    // The Cookie Store API, where the browser has it, is hooked too.
    // (Chromium has the API; Firefox ESR may not, and then the page skips it.)
    const cookieStore = report.observations.cookies.find((c) => c.name === 'o2_cs' && c.via === 'cookieStore');
    if (kind === 'chromium') expect(cookieStore).toBeDefined();
    if (cookieStore) expect(cookieStore.requestedExpiry! - cookieStore.time).toBeGreaterThan(4 * 365 * 864e5);
  });
});
