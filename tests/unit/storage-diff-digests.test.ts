import { describe, expect, it } from 'vitest';
import {
  entryId,
  hashValue,
  missedWrites,
  storageValueDigests,
  type StorageReading,
} from '../../lib/collectors/storage-diff';
import { identifierDigests } from '../../lib/identifiers';

const reading = (values: Record<string, string>): StorageReading => {
  const entries: StorageReading['entries'] = new Map();
  const kept = new Map<string, string>();
  for (const [key, value] of Object.entries(values)) {
    entries.set(entryId('localStorage', key), { length: value.length, hash: hashValue(value) });
    kept.set(entryId('localStorage', key), value);
  }
  return { entries, values: kept };
};

describe('a write seen only by snapshot carries the digests of its value', () => {
  it('gives the same digests as the page hook would, and never the value', () => {
    const vid = 'v3f9a1c0b77e2';
    const missed = missedWrites(reading({}), reading({ _vid: vid, big: 'x'.repeat(300) }), () => false);
    expect(missed).toEqual([
      {
        area: 'localStorage',
        action: 'set',
        key: '_vid',
        valueLength: vid.length,
        valueDigests: identifierDigests(vid),
      },
      { area: 'localStorage', action: 'set', key: 'big', valueLength: 300 },
    ]);
    expect(storageValueDigests(vid)).toEqual({ valueDigests: identifierDigests(vid) });
    expect(JSON.stringify(missed)).not.toContain(vid);
  });

  it('a reading without values (the older one) still finds the write, with no digest', () => {
    const after = reading({ k: 'abcdef0123456789' });
    delete after.values;
    expect(missedWrites(reading({}), after, () => false)).toEqual([
      { area: 'localStorage', action: 'set', key: 'k', valueLength: 16 },
    ]);
  });
});
