import { describe, expect, it } from 'vitest';
import { entryId, hashValue, missedWrites, type StorageReading } from '../../lib/collectors/storage-diff';

const reading = (entries: Record<string, string>, databases?: string[]): StorageReading => ({
  entries: new Map(
    Object.entries(entries).map(([k, v]) => [entryId('localStorage', k), { length: v.length, hash: hashValue(v) }]),
  ),
  ...(databases ? { databases: new Set(databases) } : {}),
});

describe('storage snapshots as ground truth', () => {
  it('reports the writes the hook did not report: added, changed (same length), removed, new databases', () => {
    const before = reading({ kept: 'a', changed: 'abc', gone: 'x', hooked: '1' }, ['old']);
    const after = reading({ kept: 'a', changed: 'xyz', added: 'hello', hooked: '22' }, ['old', 'new-db', 'hooked-db']);
    const hookSaw = new Set(['localStorage\u0000hooked', 'indexedDB\u0000hooked-db']);
    expect(missedWrites(before, after, (area, key) => hookSaw.has(`${area}\u0000${key}`))).toEqual([
      { area: 'localStorage', action: 'set', key: 'changed', valueLength: 3 },
      { area: 'localStorage', action: 'set', key: 'added', valueLength: 5 },
      { area: 'localStorage', action: 'remove', key: 'gone' },
      { area: 'indexedDB', action: 'open', key: 'new-db' },
    ]);
  });

  it('reports nothing when nothing changed, or when the hook reported every change', () => {
    const before = reading({ a: '1' });
    expect(missedWrites(before, reading({ a: '1' }), () => false)).toEqual([]);
    expect(missedWrites(before, reading({ a: '2', b: '3' }), () => true)).toEqual([]);
  });

  it('hashes values so that a same-length change is seen', () => {
    expect(hashValue('abc')).not.toBe(hashValue('abd'));
    expect(hashValue('x'.repeat(100_000))).not.toBe(hashValue('x'.repeat(100_001)));
  });
});
