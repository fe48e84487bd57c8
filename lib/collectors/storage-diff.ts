/**
 * The independent ground truth for web storage: successive readings of the storage areas (keys,
 * value lengths and a hash of each value, kept in the isolated world's memory only, never sent)
 * and of the IndexedDB database names, compared with one another. A key added or changed between
 * two readings, or a database that appeared, that the hook did not report meanwhile, is a write the
 * hook missed (natives from another realm, a frame the hook did not reach): it is reported with
 * `seenBy: 'snapshot'`.
 */
import { identifierDigests } from '../identifiers';

export type WebArea = 'localStorage' | 'sessionStorage';

/** Longest stored value whose digests are taken: identifiers are short, a large JSON blob must cost nothing. */
const MAX_DIGESTED = 256;

/**
 * Digests of a stored value that may be an identifier (`identifierDigests`), so a request carrying
 * it gets redacted in the report. The page hook and the isolated world's snapshots both use this one.
 */
export function storageValueDigests(value: string): { valueDigests?: string[] } {
  if (value.length > MAX_DIGESTED) return {};
  const valueDigests = identifierDigests(value);
  return valueDigests.length ? { valueDigests } : {};
}

export interface StorageReading {
  /** `area\u0000key` → value length and hash. */
  entries: Map<string, { length: number; hash: number }>;
  /** Short values, kept only by the reading that is compared next (their digests, never the values, are sent). */
  values?: Map<string, string>;
  databases?: Set<string>;
}

export interface MissedWrite {
  area: WebArea | 'indexedDB';
  action: 'set' | 'remove' | 'open';
  key: string;
  valueLength?: number;
  valueDigests?: string[];
}

export const entryId = (area: WebArea | 'indexedDB', key: string) => `${area}\u0000${key}`;

/** FNV-1a over the first 64 K characters, mixed with the length: enough to notice a change. */
export function hashValue(value: string): number {
  let h = 0x811c9dc5;
  const n = Math.min(value.length, 65_536);
  for (let i = 0; i < n; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h ^ value.length) >>> 0;
}

/**
 * Changes from `before` to `after` that no hook report explains: `seen(area, key)` tells whether the
 * hook reported a write of that key (or an open of that database) since `before` was read.
 */
export function missedWrites(
  before: StorageReading,
  after: StorageReading,
  seen: (area: WebArea | 'indexedDB', key: string) => boolean,
): MissedWrite[] {
  const missed: MissedWrite[] = [];
  for (const [id, now] of after.entries) {
    const was = before.entries.get(id);
    if (was && was.hash === now.hash && was.length === now.length) continue;
    const [area, key] = id.split('\u0000') as [WebArea, string];
    if (!seen(area, key))
      missed.push({
        area,
        action: 'set',
        key,
        valueLength: now.length,
        ...storageValueDigests(after.values?.get(id) ?? ''),
      });
  }
  for (const id of before.entries.keys()) {
    if (after.entries.has(id)) continue;
    const [area, key] = id.split('\u0000') as [WebArea, string];
    if (!seen(area, key)) missed.push({ area, action: 'remove', key });
  }
  if (before.databases && after.databases)
    for (const name of after.databases)
      if (!before.databases.has(name) && !seen('indexedDB', name))
        missed.push({ area: 'indexedDB', action: 'open', key: name });
  return missed;
}
