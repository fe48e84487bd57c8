import { describe, expect, it, vi } from 'vitest';
import { AuditStore, integrityNotes, type KeyValueStorage } from '../../lib/store/audit-store';
import type { UnsequencedObservation } from '../../lib/observations';

/** A storage area whose next `failures` writes fail with `error`, then work. */
function flakyStorage(error: string) {
  const data = new Map<string, unknown>();
  let failures = 0;
  const storage: KeyValueStorage & { failNext(n: number): void; data: Map<string, unknown> } = {
    data,
    failNext(n: number) {
      failures = n;
    },
    async get(keys) {
      const list = keys === null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
    },
    async set(items) {
      if (failures > 0) {
        failures--;
        throw new Error(error);
      }
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
  };
  return storage;
}

const request = (n: number): UnsequencedObservation => ({
  kind: 'request',
  time: 1000 + n,
  tabId: 7,
  frameId: 0,
  url: `https://www.o2toit.com/${n}`,
  topSite: 'o2toit.com',
  source: 'webRequest',
  requestId: String(n),
  method: 'GET',
  type: 'script',
  host: 'www.o2toit.com',
  site: 'o2toit.com',
  thirdParty: false,
});

describe('AuditStore when storage.local.set fails', () => {
  it('keeps the events of a failed write, retries, records a note, and never blocks later writes', async () => {
    vi.useFakeTimers();
    try {
      const storage = flakyStorage('IO error: disk busy');
      const store = new AuditStore(storage, () => 'a1');
      await store.ready;
      store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
      await store.flush();
      storage.failNext(1);
      for (let n = 0; n < 10; n++) store.record(7, request(n));
      await store.flush(); // fails
      expect(store.health()).toMatchObject({ ok: false, unsaved: 10, error: 'IO error: disk busy' });
      for (let n = 10; n < 15; n++) store.record(7, request(n));
      // Reading never fails, and shows what the failed write kept.
      expect((await store.observations('a1')).map((o) => o.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      await vi.runAllTimersAsync(); // the retry
      expect(store.health()).toEqual({ ok: true, unsaved: 0 });
      // A worker restart reads everything back from storage: nothing lost, nothing twice.
      const restarted = new AuditStore(storage, () => 'a2');
      await restarted.ready;
      const back = await restarted.observations('a1');
      expect(back.map((o) => o.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      const notes = restarted.auditOf(7)!.notes.join('\n');
      expect(notes).toMatch(/storage write failed \(IO error: disk busy\): events kept in memory and retried/);
      expect(notes).toMatch(/succeeded again after 1 failed attempt\(s\); no event was lost/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('names quota exhaustion, for the popup', async () => {
    const storage = flakyStorage('QUOTA_BYTES quota exceeded');
    const store = new AuditStore(storage, () => 'q1');
    await store.ready;
    store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    storage.failNext(100);
    store.record(7, request(1));
    await store.flush();
    expect(store.health()).toEqual({ ok: false, unsaved: 1, error: 'QUOTA_BYTES quota exceeded', quota: true });
  });

  it('records a resent relay batch once, sums channel counts, and states worker restarts', async () => {
    const storage = flakyStorage('');
    const store = new AuditStore(storage, () => 'r1');
    await store.ready;
    store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    const counts = { forged: 2, oversized: 1, malformed: 0, lost: 0 };
    expect(store.acceptBatch(7, { id: 'relay-a', seq: 1 }, counts)).toBe(true);
    expect(store.acceptBatch(7, { id: 'relay-a', seq: 1 }, counts)).toBe(false);
    expect(store.acceptBatch(7, { id: 'relay-b', seq: 1 }, { ...counts, lost: 4 })).toBe(true);
    await store.flush();
    const restarted = new AuditStore(storage, () => 'r2');
    await restarted.ready;
    const meta = restarted.auditOf(7)!;
    expect(restarted.acceptBatch(7, { id: 'relay-a', seq: 1 })).toBe(false); // survives the restart
    expect(integrityNotes(meta)).toEqual([
      "Page channel: 4 forged message(s) posted on the page (never taken for the hook's reports).",
      'Page channel: 2 oversized message(s) rejected unread.',
      "4 page-world event(s) may be missing: the extension's background did not acknowledge them after every retry.",
      expect.stringMatching(
        /restarted 1 time\(s\) during this audit: browser events .* of at most 100 ms before each stop may be missing/,
      ),
    ]);
  });
});

describe('storageHealthMessage', () => {
  it('says nothing when writes work, and names a full storage plainly', async () => {
    const { storageHealthMessage } = await import('../../lib/store/audit-store');
    expect(storageHealthMessage({ ok: true, unsaved: 0 })).toBeUndefined();
    expect(storageHealthMessage({ ok: false, unsaved: 12, error: 'QUOTA_BYTES quota exceeded', quota: true })).toMatch(
      /storage is full: 12 recorded event\(s\) are kept in memory only/,
    );
    expect(storageHealthMessage({ ok: false, unsaved: 3, error: 'IO error' })).toMatch(
      /Saving the audit failed \(IO error\): 3/,
    );
  });
});
