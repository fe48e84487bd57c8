import { describe, expect, it, vi } from 'vitest';
import { AuditStore, INDEX_KEY, type KeyValueStorage } from '../../lib/store/audit-store';
import type { UnsequencedObservation } from '../../lib/observations';

/** An in-memory storage area that survives "worker restarts" (new AuditStore instances). */
function memoryStorage(): KeyValueStorage & { data: Map<string, unknown>; sets: number } {
  const data = new Map<string, unknown>();
  const storage = {
    data,
    sets: 0,
    async get(keys: string | string[] | null) {
      const list = keys === null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
    },
    async set(items: Record<string, unknown>) {
      storage.sets++;
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys: string | string[]) {
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

let ids = 0;
const newId = () => `audit-${++ids}`;

describe('AuditStore', () => {
  it('stamps increasing sequence numbers and batches writes (no write per event)', async () => {
    const storage = memoryStorage();
    const store = new AuditStore(storage, newId);
    await store.ready;
    store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    for (let n = 0; n < 100; n++) store.record(7, request(n));
    await store.flush();
    expect(storage.sets).toBe(1);
    const all = await store.observations(store.auditOf(7)!.auditId);
    expect(all.map((o) => o.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('loses nothing flushed when the worker restarts, and continues the sequence', async () => {
    const storage = memoryStorage();
    const first = new AuditStore(storage, newId);
    await first.ready;
    const meta = first.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    first.record(7, request(1));
    first.record(7, request(2));
    await first.flush();

    const second = new AuditStore(storage, newId); // a new worker: memory gone
    await second.ready;
    expect(second.auditOf(7)?.auditId).toBe(meta.auditId);
    second.record(7, request(3));
    await second.flush();
    const all = await second.observations(meta.auditId);
    expect(all.map((o) => [o.seq, o.url])).toEqual([
      [1, 'https://www.o2toit.com/1'],
      [2, 'https://www.o2toit.com/2'],
      [3, 'https://www.o2toit.com/3'],
    ]);
  });

  it('flushes on its own shortly after an event', async () => {
    vi.useFakeTimers();
    try {
      const storage = memoryStorage();
      const store = new AuditStore(storage, newId);
      await store.ready;
      store.start(7, 'o2toit.com', 'o2toit.com', 'u', 1);
      store.record(7, request(1));
      expect(storage.data.size).toBe(0);
      await vi.runAllTimersAsync();
      expect(storage.data.get(INDEX_KEY)).toBeDefined();
      expect([...storage.data.keys()].filter((k) => k.startsWith('obs:v1:'))).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores events of tabs not under audit and keeps ended audits readable', async () => {
    const store = new AuditStore(memoryStorage(), newId);
    await store.ready;
    expect(store.record(9, request(1))).toBeUndefined();
    const meta = store.start(7, 'o2toit.com', 'o2toit.com', 'u', 1);
    store.record(7, request(1));
    store.end(7, 2);
    expect(store.auditOf(7)).toBeUndefined();
    expect(await store.observations(meta.auditId)).toHaveLength(1);
  });

  it('starts over with a clean index when stored state is corrupt', async () => {
    const storage = memoryStorage();
    storage.data.set(INDEX_KEY, 'garbage');
    const store = new AuditStore(storage, newId);
    await store.ready;
    expect(store.audits()).toEqual([]);
  });
});
