import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { runScenario } from './consent-scenarios';
import { ROOT } from './harness/paths';

const PAGE = 'https://www.o2toit.com/consent/storage.html';
/** The lifetime storage.html asks of its `cookieStore.set()`: `expires: Date.now() + <factors>`, in days. */
/** The length of the value storage-writer.js stores: `JSON.stringify(<its object literal>)`. */
const HJ_VALUE_LENGTH = (() => {
  const js = readFileSync(join(ROOT, 'tests/fixtures/sites/www.o2toit.com/consent/storage-writer.js'), 'utf8');
  const literal = /setItem\('_hjSessionUser_42', JSON\.stringify\((\{[^}]*\})\)\)/.exec(js)?.[1];
  if (!literal) throw new Error('storage-writer.js no longer writes _hjSessionUser_42 with JSON.stringify({...})');
  // Its literal has bare keys and single-quoted strings: made JSON, parsed, and written back as the page does.
  return JSON.stringify(JSON.parse(literal.replace(/(\w+):/g, '"$1":').replace(/'/g, '"'))).length;
})();
const COOKIE_STORE_DAYS = (() => {
  const html = readFileSync(join(ROOT, 'tests/fixtures/sites/www.o2toit.com/consent/storage.html'), 'utf8');
  const factors = /cookieStore\.set\(\{[^}]*expires: Date\.now\(\) \+ ([\d.e\s*]+)/.exec(html)?.[1];
  if (!factors) throw new Error('storage.html no longer writes o2_cs with cookieStore.set({ expires })');
  return factors.split('*').reduce((product, f) => product * Number(f.trim()), 1) / 864e5;
})();

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
      // The load snapshot, and the browser's own record of the page's cookieStore write.
      settled: (r) =>
        r.observations.storage.some((s) => s.action === 'snapshot') &&
        r.observations.cookies.some((c) => c.name === 'o2_cs' && c.via === 'cookies-api'),
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
    expect(by('_hjSessionUser_42').valueLength).toBe(HJ_VALUE_LENGTH);
    // Values are never recorded.
    expect(JSON.stringify(report)).not.toContain('assigned-by-property');
    // Keys present at load are snapshotted by the isolated world.
    expect(report.observations.storage.filter((s) => s.action === 'snapshot').map((s) => s.key)).toEqual(
      expect.arrayContaining(['_hjSessionUser_42', 'o2_prop']),
    );
    expect(report.findings.map((f) => f.id)).toContain(
      'storage-before-consent:_hjSessionUser_42@https://www.o2toit.com',
    );
    // The Cookie Store API is hooked too. Both browsers have it (Chromium, and Firefox ESR 153, checked
    // in the browser: `typeof cookieStore === 'object'`), so the page's write must be reported in both.
    const cookieStore = report.observations.cookies.find((c) => c.name === 'o2_cs' && c.via === 'cookieStore');
    expect(cookieStore, 'the cookieStore.set() write').toBeDefined();
    const days = (cookieStore!.requestedExpiry! - cookieStore!.time) / 864e5;
    expect(days).toBeGreaterThan(COOKIE_STORE_DAYS - 1);
    expect(days).toBeLessThanOrEqual(COOKIE_STORE_DAYS);
    // And the browser stored it.
    expect(report.observations.cookies.some((c) => c.name === 'o2_cs' && c.via === 'cookies-api')).toBe(true);
  });
});
