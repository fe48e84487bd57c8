import type { Category } from '../categories';
import type { KeyValueStorage } from '../store/audit-store';

/**
 * What the options page imports, as kept in `storage.local`. Each kind has its own versioned key,
 * so a large list (EasyPrivacy is 1.5 MB) is rewritten only when that list changes. Files are kept
 * as the text the user gave: the same parser that checked them rebuilds them at startup, and an
 * export can give back the exact bytes whose sha256 the report cites.
 */
export const IMPORT_KEYS = {
  policies: 'imports:v1:policies',
  ocd: 'imports:v1:ocd',
  filters: 'imports:v1:filters',
  /** Sites without a policy that the auditor chose to audit against the baseline of the law. */
  baselineSites: 'imports:v1:baseline-sites',
} as const;

interface StoredFile {
  /** Stable id of the import: the policy id, or the list's file name. */
  id: string;
  /** File name as given, or `pasted text`. */
  name: string;
  text: string;
  /** ISO time of the import. */
  importedAt: string;
  sha256: string;
}

export type StoredPolicy = StoredFile;

export interface StoredOcd extends StoredFile {
  rows: number;
  vendors: number;
  warnings: number;
}

export interface StoredFilterList extends StoredFile {
  title?: string;
  category: Category;
  networkFilters: number;
  unsupported: number;
}

export interface StoredImports {
  policies: StoredPolicy[];
  ocd?: StoredOcd;
  filters: StoredFilterList[];
  /** Registrable domains audited against the baseline of the law (lib/policy/baseline.ts). */
  baselineSites?: string[];
}

type Area = KeyValueStorage;

/** Reads every import; a missing or malformed entry reads as "nothing imported". */
export async function loadImports(area: Area): Promise<StoredImports> {
  const got = await area.get(Object.values(IMPORT_KEYS));
  return fromItems(got);
}

/** The imports carried by a set of storage items (a `get` result or the new values of a change). */
export function fromItems(items: Record<string, unknown>): StoredImports {
  const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
  const ocd = items[IMPORT_KEYS.ocd] as StoredOcd | undefined;
  return {
    policies: list<StoredPolicy>(items[IMPORT_KEYS.policies]),
    ...(ocd && typeof ocd.text === 'string' ? { ocd } : {}),
    filters: list<StoredFilterList>(items[IMPORT_KEYS.filters]),
    ...(list(items[IMPORT_KEYS.baselineSites]).length
      ? {
          baselineSites: list<unknown>(items[IMPORT_KEYS.baselineSites]).filter(
            (s): s is string => typeof s === 'string',
          ),
        }
      : {}),
  };
}

/**
 * Writes one kind. Resolves only once the browser has stored it; a failure (quota) rejects, and the
 * caller keeps its previous state, so a failed import loses nothing.
 */
export async function saveImports(
  area: Area,
  kind: keyof typeof IMPORT_KEYS,
  value: StoredImports[keyof StoredImports],
): Promise<void> {
  const key = IMPORT_KEYS[kind];
  if (value === undefined || (Array.isArray(value) && value.length === 0)) await area.remove(key);
  else await area.set({ [key]: value });
}
