import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { openEvidencePage } from './evidence-session';

const PAGE = 'https://www.o2toit.com/consent/storage-hostile.html';

/** What every valid call returns without any extension (storage-hostile.html, part 1). */
const NATIVE_RESULTS = {
  'setItem.call': undefined,
  'getItem.call': '12345',
  'key.call': 'string',
  'length.get': true,
  'removeItem.call': undefined,
  'same setItem': true,
  instanceof: true,
  apply: undefined,
  defineProperty: 'abcdef',
  delete: null,
  'toString once': 1,
  prepareStackTrace: true,
  'Error.prototype.stack': true,
  captureStackTrace: true,
  realm: true,
};

/** Keys the page writes once each, with their value lengths. */
const WRITES: Record<string, number> = {
  h_call: 5,
  h_apply: 2,
  h_define: 6,
  h_deleted: 1,
  h_obj: 7,
  h_stack: 2,
  h_protostack: 3,
  h_capture: 4,
  h_realm: 18,
};

const sets = (r: AuditReport) => r.observations.storage.filter((s) => s.action === 'set' && s.key.startsWith('h_'));

/**
 * Storage seen whatever the page does: valid unusual calls behave as without the extension, every
 * write is in the report exactly once, and the writes the hooks cannot see (natives of another
 * realm, a worker's IndexedDB) are found by the isolated world's snapshots.
 */
describe.each(['chromium', 'firefox'] as const)('storage evidence in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps page behaviour, and reports every write once, by hook or by snapshot', async () => {
    const page = await openEvidencePage(kind, server, 'storage-hostile.html');
    try {
      const results = await page.evaluate(
        () =>
          (window as unknown as { __results: { errors: string[]; values: object; bypassed: Record<string, boolean> } })
            .__results,
      );
      expect(results.errors).toEqual([]);
      expect(results.values).toEqual(NATIVE_RESULTS);
      const report = await page.report(
        (r) =>
          Object.keys(WRITES).every((k) => sets(r).some((s) => s.key === k)) &&
          r.observations.storage.some((s) => s.area === 'indexedDB' && s.key === 'h_worker_db'),
      );
      // Exactly once each, with the length the page wrote, and no value.
      expect(
        Object.fromEntries(
          sets(report)
            .map((s) => [s.key, s.valueLength])
            .sort(),
        ),
      ).toEqual(WRITES);
      expect(sets(report)).toHaveLength(Object.keys(WRITES).length);
      expect(JSON.stringify(report)).not.toContain('from-another-realm');
      expect(report.observations.storage.filter((s) => s.key === 'h_deleted').map((s) => s.action)).toEqual([
        'set',
        'remove',
      ]);
      // A write made with another realm's natives never passed the hook: the snapshots found it.
      const realm = sets(report).find((s) => s.key === 'h_realm')!;
      if (results.bypassed.h_realm) expect(realm).toMatchObject({ seenBy: 'snapshot', source: 'page-state' });
      const worker = report.observations.storage.filter((s) => s.area === 'indexedDB' && s.key === 'h_worker_db');
      expect(worker).toEqual([expect.objectContaining({ action: 'open', seenBy: 'snapshot', source: 'page-state' })]);
      // Hook writes carry their script; the page's own prepareStackTrace, Error.prototype.stack
      // (Firefox's accessor) or captureStackTrace does not choose it, in either browser.
      for (const key of ['h_call', 'h_define', 'h_stack', 'h_protostack', 'h_capture'])
        expect(sets(report).find((s) => s.key === key)).toMatchObject({ initiator: PAGE, source: 'page-hook' });
      expect(JSON.stringify(report)).not.toContain('forged.js');
    } finally {
      await page.close();
    }
  });
});
