import type { Knowledge } from '@/lib/knowledge/types';
import { builtinKnowledge, createClassifier } from '@/lib/knowledge/classify';
import { filterListClassifier } from '@/lib/knowledge/filter-list';
import { parseOpenCookieDatabase } from '@/lib/knowledge/import-ocd';
import { createLayeredClassifier } from '@/lib/knowledge/layered';
import type { ImportsListing } from '@/lib/messages';
import { BUILTIN_POLICIES, type LoadedPolicy } from '@/lib/policy/builtin';
import { parsePolicy, sha256Hex } from '@/lib/policy/load';
import type { KnowledgeInfo } from '@/lib/report/types';
import type { KeyValueStorage } from '@/lib/store/audit-store';
import { registerContentScripts } from './content-scripts';
import { fromItems, IMPORT_KEYS, loadImports, type StoredImports } from './imports-storage';

/** The background's view of what was imported: live providers for the composition root. */
export interface Imports {
  /** Resolves once the stored imports are loaded (the background's `ready` waits for it). */
  ready: Promise<void>;
  /** Built-in policies, overridden by imports of the same id, then the other imports. */
  policies(): readonly LoadedPolicy[];
  /** Built-in knowledge, then the imported Open Cookie Database, then imported filter lists. */
  knowledge: Knowledge;
  /** A live view of the sources, for the report's provenance. */
  knowledgeInfo: KnowledgeInfo;
  stored(): StoredImports;
  /** Replaces the in-memory state after a successful write, and re-registers content scripts. */
  apply(next: StoredImports): Promise<void>;
  listing(): ImportsListing;
  /** Runs changes one at a time, so two imports at once cannot lose one another's write. */
  serial<T>(change: () => Promise<T>): Promise<T>;
}

/**
 * Loads the imports kept in `storage.local`, and follows their changes. Called synchronously from
 * `defineBackground`, so its storage listener is registered on every worker start.
 */
export function createImports(storage: KeyValueStorage): Imports {
  const builtinClassifier = createClassifier(builtinKnowledge);
  const builtinSha = new Map<string, string>();
  let state: StoredImports = { policies: [], filters: [] };
  let loaded: LoadedPolicy[] = [...BUILTIN_POLICIES];
  let layered: Knowledge | undefined;
  // Built filter engines by sha256: EasyPrivacy takes most of a second to build, so it is built
  // once per worker life, on first use, and kept while only other imports change.
  const engines = new Map<string, Knowledge>();
  let tail: Promise<unknown> = Promise.resolve();

  const setState = (next: StoredImports) => {
    state = next;
    loaded = mergePolicies(next);
    layered = undefined;
  };

  const layers = (): Knowledge => {
    if (layered) return layered;
    const list: Knowledge[] = [builtinClassifier];
    if (state.ocd) {
      const parsed = parseOpenCookieDatabase(state.ocd.text, state.ocd.name);
      // Checked on import; a stored file that no longer parses (a parser change) is skipped, not fatal.
      if (parsed.ok) list.push(createClassifier(parsed.kb, 'open-cookie-database', state.ocd.name));
      else console.warn('Consent Auditor: stored Open Cookie Database no longer parses', parsed.errors[0]);
    }
    for (const f of state.filters) {
      let engine = engines.get(f.sha256);
      if (!engine)
        engines.set(f.sha256, (engine = filterListClassifier(f.text, { name: f.name, category: f.category })));
      list.push(engine);
    }
    for (const sha of engines.keys()) if (!state.filters.some((f) => f.sha256 === sha)) engines.delete(sha);
    return (layered = createLayeredClassifier(list));
  };

  const ready = Promise.all([
    loadImports(storage).then(setState, (error: unknown) => {
      console.error('Consent Auditor: could not read imports; using built-in data only', error);
    }),
    ...BUILTIN_POLICIES.map(async (p) => builtinSha.set(p.policy.id, await sha256Hex(p.text))),
  ]).then(() => undefined);

  const syncScripts = () =>
    registerContentScripts(loaded.map((p) => p.policy)).catch((error: unknown) =>
      console.error('Consent Auditor: could not register content scripts', error),
    );

  // Another instance (or a restore) changed the imports: follow it. Our own writes land here too,
  // after apply(); re-reading them is cheap and registration is idempotent.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !Object.values(IMPORT_KEYS).some((k) => k in changes)) return;
    void ready.then(async () => {
      const items: Record<string, unknown> = {
        [IMPORT_KEYS.policies]: state.policies,
        [IMPORT_KEYS.ocd]: state.ocd,
        [IMPORT_KEYS.filters]: state.filters,
      };
      for (const [key, change] of Object.entries(changes)) if (key in items) items[key] = change.newValue;
      setState(fromItems(items));
      await syncScripts();
    });
  });

  return {
    ready,
    policies: () => loaded,
    knowledge: {
      classifyUrl: (url, context) => layers().classifyUrl(url, context),
      classifyCookie: (name, domain) => layers().classifyCookie(name, domain),
      classifyStorageKey: (key, origin) => layers().classifyStorageKey(key, origin),
      vendor: (id) => layers().vendor(id),
    },
    knowledgeInfo: {
      version: builtinKnowledge.version,
      vendors: builtinKnowledge.vendors.length,
      get imports() {
        return [
          ...(state.ocd
            ? [
                {
                  source: 'open-cookie-database' as const,
                  name: state.ocd.name,
                  entries: state.ocd.rows,
                  importedAt: state.ocd.importedAt,
                  sha256: state.ocd.sha256,
                },
              ]
            : []),
          ...state.filters.map((f) => ({
            source: 'filter-list' as const,
            name: f.name,
            entries: f.networkFilters,
            importedAt: f.importedAt,
            sha256: f.sha256,
          })),
        ];
      },
    },
    stored: () => state,
    async apply(next) {
      setState(next);
      await syncScripts();
    },
    listing: () => listingOf(state, loaded, builtinSha),
    serial(change) {
      const run = tail.then(change, change);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

/** Imported policies replace built-in ones of the same id; the rest are added after them. */
function mergePolicies(state: StoredImports): LoadedPolicy[] {
  const imported = state.policies.flatMap((p): LoadedPolicy[] => {
    const parsed = parsePolicy(p.text);
    return parsed.ok ? [{ policy: parsed.policy, text: p.text, origin: 'imported' }] : [];
  });
  const ids = new Set(imported.map((p) => p.policy.id));
  return [...BUILTIN_POLICIES.filter((p) => !ids.has(p.policy.id)), ...imported];
}

function listingOf(
  state: StoredImports,
  loaded: readonly LoadedPolicy[],
  builtinSha: ReadonlyMap<string, string>,
): ImportsListing {
  const builtinIds = new Set(BUILTIN_POLICIES.map((p) => p.policy.id));
  const byId = new Map(state.policies.map((p) => [p.id, p]));
  return {
    builtinKnowledge: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
    policies: loaded.map(({ policy, origin }) => {
      const stored = byId.get(policy.id);
      return {
        id: policy.id,
        version: policy.version,
        title: policy.title,
        sites: policy.sites,
        origin,
        sha256: stored?.sha256 ?? builtinSha.get(policy.id) ?? '',
        ...(stored ? { source: stored.name, importedAt: stored.importedAt } : {}),
        ...(stored && builtinIds.has(policy.id) ? { overridesBuiltin: true } : {}),
      };
    }),
    ...(state.ocd
      ? {
          ocd: {
            id: state.ocd.id,
            name: state.ocd.name,
            importedAt: state.ocd.importedAt,
            sha256: state.ocd.sha256,
            rows: state.ocd.rows,
            vendors: state.ocd.vendors,
            warnings: state.ocd.warnings,
          },
        }
      : {}),
    filters: state.filters.map(({ text: _text, ...meta }) => meta),
  };
}
