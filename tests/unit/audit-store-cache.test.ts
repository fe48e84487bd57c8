import { describe, expect, it } from 'vitest';
import { AuditStore, type KeyValueStorage } from '../../lib/store/audit-store';
import type { UnsequencedObservation } from '../../lib/observations';

/** A storage area that counts the observations it hands back (each one a fresh copy, as browsers do). */
function countingStorage(): KeyValueStorage & { data: Map<string, unknown>; readBack: number; fail: boolean } {
  const data = new Map<string, unknown>();
  const storage = {
    data,
    readBack: 0,
    fail: false,
    async get(keys: string | string[] | null) {
      const list = keys === null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      const out = Object.fromEntries(list.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
      for (const [k, v] of Object.entries(out))
        if (k.startsWith('obs:') && Array.isArray(v)) storage.readBack += v.length;
      return out;
    },
    async set(items: Record<string, unknown>) {
      if (storage.fail) throw new Error('IO error');
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys: string | string[]) {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
  };
  return storage;
}

const storageWrite = (n: number): UnsequencedObservation => ({
  kind: 'storage',
  time: 1000 + n,
  tabId: 7,
  frameId: 0,
  url: 'https://www.o2toit.com/',
  topSite: 'o2toit.com',
  source: 'page-hook',
  area: 'localStorage',
  action: 'set',
  key: `k${n}`,
  origin: 'https://www.o2toit.com',
  valueLength: 1,
});

let ids = 0;
const newId = () => `cache-${++ids}`;
const seqs = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

describe('AuditStore: running audits are read from memory', () => {
  it('a running audit is read back without re-reading storage, flush after flush, in order', async () => {
    const storage = countingStorage();
    const store = new AuditStore(storage, newId);
    await store.ready;
    const { auditId } = store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    for (let round = 0; round < 5; round++) {
      for (let n = 0; n < 200; n++) store.record(7, storageWrite(round * 200 + n));
      await store.flush();
      expect((await store.observations(auditId)).map((o) => o.seq)).toEqual(seqs((round + 1) * 200));
    }
    expect(store.auditOf(7)!.chunks).toBe(5);
    expect(storage.readBack).toBe(0);
    // What memory answered is what storage holds.
    const fresh = new AuditStore(storage, newId);
    await fresh.ready;
    expect(await fresh.observations(auditId)).toEqual(await store.observations(auditId));
  });

  it('after a worker restart the first read fills the cache from storage, later reads do not', async () => {
    const storage = countingStorage();
    const first = new AuditStore(storage, newId);
    await first.ready;
    const { auditId } = first.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    for (let n = 0; n < 300; n++) first.record(7, storageWrite(n));
    await first.flush();
    const second = new AuditStore(storage, newId);
    await second.ready;
    expect((await second.observations(auditId)).map((o) => o.seq)).toEqual(seqs(300));
    expect(storage.readBack).toBe(300);
    for (let n = 0; n < 50; n++) second.record(7, storageWrite(300 + n));
    await second.flush();
    expect((await second.observations(auditId)).map((o) => o.seq)).toEqual(seqs(350));
    expect(storage.readBack).toBe(300);
  });

  it('a failed write keeps the events (returned, retried) and the cache stays exact', async () => {
    const storage = countingStorage();
    const store = new AuditStore(storage, newId);
    await store.ready;
    const { auditId } = store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    for (let n = 0; n < 10; n++) store.record(7, storageWrite(n));
    await store.flush();
    storage.fail = true;
    for (let n = 10; n < 20; n++) store.record(7, storageWrite(n));
    expect((await store.observations(auditId)).map((o) => o.seq)).toEqual(seqs(20));
    storage.fail = false;
    await store.flush();
    expect((await store.observations(auditId)).map((o) => o.seq)).toEqual(seqs(20));
    expect(storage.readBack).toBe(0);
    const fresh = new AuditStore(storage, newId);
    await fresh.ready;
    expect((await fresh.observations(auditId)).map((o) => o.seq)).toEqual(seqs(20));
  });

  it('an ended audit is read from storage (its memory is released)', async () => {
    const storage = countingStorage();
    const store = new AuditStore(storage, newId);
    await store.ready;
    const { auditId } = store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    for (let n = 0; n < 40; n++) store.record(7, storageWrite(n));
    await store.flush();
    store.end(7, 2000);
    expect((await store.observations(auditId)).map((o) => o.seq)).toEqual(seqs(40));
    expect(storage.readBack).toBe(40);
  });

  it('tells its listeners after each successful write', async () => {
    const storage = countingStorage();
    const store = new AuditStore(storage, newId);
    await store.ready;
    let flushes = 0;
    store.onFlush(() => flushes++);
    store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    store.record(7, storageWrite(0));
    await store.flush();
    expect(flushes).toBe(1);
    storage.fail = true;
    store.record(7, storageWrite(1));
    await store.flush();
    expect(flushes).toBe(1);
  });
});

describe('AuditStore: storage stays the truth', () => {
  it('a chunk changed in storage by someone else is read again; its own writes keep the memory', async () => {
    const storage = countingStorage();
    const store = new AuditStore(storage, newId);
    await store.ready;
    const { auditId } = store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    for (let n = 0; n < 30; n++) store.record(7, storageWrite(n));
    await store.flush();
    const key = `obs:v1:${auditId}:0`;
    store.storageChanged(key, 30); // the store's own write, echoed
    expect(await store.observations(auditId)).toHaveLength(30);
    expect(storage.readBack).toBe(0);
    storage.data.set(key, (storage.data.get(key) as unknown[]).slice(1));
    store.storageChanged(key, 29);
    expect((await store.observations(auditId)).map((o) => o.seq)).toEqual(seqs(29, 2));
    expect(storage.readBack).toBe(29);
  });
});
