/**
 * Readings of the frame's storage from the isolated world, whose natives the page cannot replace:
 * at document_start (before any page script), at intervals, after each decision, before a report
 * and when the page goes away. Values are hashed in memory and never leave this script; of a missed
 * write's short value, only its digests are sent.
 */
import { entryId, hashValue, type StorageReading } from '@/lib/collectors/storage-diff';

const MAX_KEYS = 10_000;
/** Values this short are kept until the next comparison, for their digests (storageValueDigests). */
const MAX_DIGESTED = 256;

export function readStorage(): StorageReading {
  const entries: StorageReading['entries'] = new Map();
  const values = new Map<string, string>();
  for (const area of ['localStorage', 'sessionStorage'] as const) {
    let storage: Storage;
    try {
      storage = window[area];
      const n = Math.min(storage.length, MAX_KEYS);
      for (let i = 0; i < n; i++) {
        const key = storage.key(i);
        if (key === null) continue;
        const value = storage.getItem(key) ?? '';
        const id = entryId(area, key);
        entries.set(id, { length: value.length, hash: hashValue(value) });
        if (value.length <= MAX_DIGESTED) values.set(id, value);
      }
    } catch {
      continue; // storage disabled (sandboxed frame, blocked cookies)
    }
  }
  return { entries, values };
}

/** IndexedDB database names, where the browser can list them (`indexedDB.databases()`). */
export async function readDatabases(): Promise<Set<string> | undefined> {
  try {
    const list = await indexedDB.databases();
    return new Set(list.map((d) => d.name).filter((n): n is string => typeof n === 'string'));
  } catch {
    return undefined;
  }
}
