import type { ConsentReport } from '@/lib/messages';

const MAX_KEYS = 500;

/**
 * Lists the keys of localStorage and sessionStorage with their value lengths (never values). The
 * isolated world reads the page origin's storage directly, so the page cannot hide keys from it.
 */
export function snapshotStorage(
  reason: 'start' | 'load' | 'consent-change',
): Extract<ConsentReport, { kind: 'storage-snapshot' }> | undefined {
  const entries: Array<{ area: 'localStorage' | 'sessionStorage'; key: string; valueLength: number }> = [];
  for (const area of ['localStorage', 'sessionStorage'] as const) {
    let storage: Storage;
    try {
      storage = window[area];
    } catch {
      continue; // storage disabled (sandboxed frame, blocked cookies)
    }
    for (let i = 0; i < Math.min(storage.length, MAX_KEYS); i++) {
      const key = storage.key(i);
      if (key !== null) entries.push({ area, key, valueLength: (storage.getItem(key) ?? '').length });
    }
  }
  return { kind: 'storage-snapshot', reason, origin: location.origin, url: location.href, entries };
}
