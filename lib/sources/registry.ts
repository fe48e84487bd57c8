/**
 * The one registry of what audits are judged against: the declared policies (built-in, then
 * imported) and the knowledge (built-in base, then an imported Open Cookie Database, then imported
 * filter lists). Every place that asks "which policy covers this site?" asks {@link
 * SourceRegistry.policyFor}: the request collector, the message handler, the background root, the
 * import handler and, through {@link policyForSite}, the command line.
 *
 * Parse once: each file is parsed when it is imported (to check it) and the result is kept under
 * its sha256, so applying the import, and the `storage.onChanged` echo of our own write, reuse it.
 * A file read back from storage at startup is parsed on first use. Storage is injected (the
 * background passes `browser.storage.local`), so this runs under plain Vitest and in Node.
 */
import type { Knowledge } from '../knowledge/types';
import { builtinKnowledge, createClassifier } from '../knowledge/classify';
import { parseFilterList, type FilterListOptions, type FilterListResult } from '../knowledge/filter-list';
import { parseOpenCookieDatabase, type OcdParseResult } from '../knowledge/import-ocd';
import { createLayeredClassifier } from '../knowledge/layered';
import type { ImportsListing } from '../messages';
import { builtinPolicies, type LoadedPolicy } from '../policy/builtin';
import { baselinePolicy, isBaseline } from '../policy/baseline';
import { parsePolicy, policyForSite, sha256Hex, type PolicyParseResult } from '../policy/load';
import type { DeclaredPolicy } from '../policy/types';
import type { KnowledgeInfo } from '../report/types';
import type { KeyValueStorage } from '../store/audit-store';
import { fromItems, IMPORT_KEYS, loadImports, saveImports, type StoredImports } from './stored';

export { policyForSite };

/** The parsers the registry calls; injectable so a test can count them. */
export interface Parsers {
  policy: (text: string) => PolicyParseResult;
  ocd: (text: string, name: string) => OcdParseResult;
  filters: (text: string, options: FilterListOptions) => FilterListResult;
}

const DEFAULT_PARSERS: Parsers = { policy: parsePolicy, ocd: parseOpenCookieDatabase, filters: parseFilterList };

/** A logger: lib/ has no console of its own. */
export interface Log {
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const SILENT: Log = { warn: () => undefined, error: () => undefined };

export interface SourceRegistryOptions {
  storage: KeyValueStorage;
  /** Called after the set of policies changed (the background re-registers its content scripts). */
  onPoliciesChanged?: (policies: readonly DeclaredPolicy[]) => Promise<void>;
  parsers?: Partial<Parsers>;
  /** Where problems that are not fatal go (`console` in the background); silent by default. */
  log?: Log;
}

export interface SourceRegistry {
  /** Resolves once built-in policies are hashed and the stored imports are read. */
  ready: Promise<void>;
  /** Built-in policies, overridden by imports of the same id, then the other imports. Empty before `ready`. */
  policies(): readonly LoadedPolicy[];
  /** The policy that covers a site (registrable domain), if any. */
  policyFor(site: string): LoadedPolicy | undefined;
  policyById(id: string): LoadedPolicy | undefined;
  /** Whether a registrable domain has a declared policy (so an audit of it may start). */
  isPolicySite(site: string): boolean;
  isBuiltinPolicy(id: string): boolean;
  /** The policy that already covers one of `policy`'s sites under another id: a site belongs to one policy. */
  siteConflict(policy: DeclaredPolicy): { index: number; site: string; owner: LoadedPolicy } | undefined;
  /** Built-in knowledge, then the imported Open Cookie Database, then imported filter lists. */
  knowledge: Knowledge;
  /** A live view of the sources, for the report's provenance. */
  knowledgeInfo: KnowledgeInfo;
  /** Parses a policy file; a success is kept under `sha256` for {@link apply}. */
  parsePolicy(text: string, sha256: string): PolicyParseResult;
  /** Parses an Open Cookie Database export; a success is kept under `sha256` for {@link apply}. */
  parseOcd(text: string, name: string, sha256: string): OcdParseResult;
  /** Parses a filter list; a success is kept under `sha256` for {@link apply}. */
  parseFilters(text: string, options: FilterListOptions, sha256: string): FilterListResult;
  stored(): StoredImports;
  /** Replaces the in-memory state after a successful write, and tells `onPoliciesChanged`. */
  apply(next: StoredImports): Promise<void>;
  /** Follows a `storage.onChanged` of the imports' keys (another instance, or our own write echoed). */
  follow(changes: Record<string, { newValue?: unknown }>): Promise<void>;
  listing(): ImportsListing;
  /**
   * Audits a site that has no policy against the baseline of the law (lib/policy/baseline.ts): the
   * site is kept in `storage.local`, so its next visits are audited too, until a policy covers it.
   */
  auditWithBaseline(site: string): Promise<void>;
  /** Runs changes one at a time, so two imports at once cannot lose one another's write. */
  serial<T>(change: () => Promise<T>): Promise<T>;
}

export function createSourceRegistry(options: SourceRegistryOptions): SourceRegistry {
  const parsers = { ...DEFAULT_PARSERS, ...options.parsers };
  const log = options.log ?? SILENT;
  const builtinClassifier = createClassifier(builtinKnowledge);
  let builtins: readonly LoadedPolicy[] = [];
  // The baseline's text has no sites, so its sha256 (the report's provenance) is one for every site.
  const baselineText = `${JSON.stringify(baselinePolicy(), null, 2)}\n`;
  let baselineSha = '';
  let state: StoredImports = { policies: [], filters: [] };
  let loaded: readonly LoadedPolicy[] = [];
  let layered: Knowledge | undefined;
  // Parsed files by sha256 (and name, which the classifications cite). EasyPrivacy takes most of
  // a second to build, so an engine is kept while only other imports change.
  const policyCache = new Map<string, LoadedPolicy>();
  const knowledgeCache = new Map<string, Knowledge>();
  // Parsed for an import not applied yet: kept even if a late storage echo changes the state first.
  const pending = new Set<string>();
  const ocdKey = (sha256: string, name: string) => `ocd|${sha256}|${name}`;
  const filterKey = (sha256: string, o: FilterListOptions) => `filters|${sha256}|${o.name}|${o.category ?? ''}`;
  let tail: Promise<unknown> = Promise.resolve();

  const importedPolicy = (p: StoredImports['policies'][number]): LoadedPolicy | undefined => {
    const cached = policyCache.get(p.sha256);
    if (cached) return cached;
    const parsed = parsers.policy(p.text);
    if (!parsed.ok) return undefined;
    const entry: LoadedPolicy = { policy: parsed.policy, text: p.text, origin: 'imported', sha256: p.sha256 };
    policyCache.set(p.sha256, entry);
    return entry;
  };

  const setState = (next: StoredImports) => {
    state = next;
    // Imported policies replace built-in ones of the same id; the rest are added after them.
    const imported = next.policies.flatMap((p) => importedPolicy(p) ?? []);
    const ids = new Set(imported.map((p) => p.policy.id));
    const declared = [...builtins.filter((p) => !ids.has(p.policy.id)), ...imported];
    // Sites audited against the baseline, unless a policy now covers them.
    const bare = (next.baselineSites ?? []).filter(
      (site) =>
        !policyForSite(
          site,
          declared.map((e) => ({ sites: e.policy.sites, entry: e })),
        ),
    );
    // Kept, with no site, once every one has a policy: the audits already made against it still render.
    loaded = next.baselineSites?.length
      ? [...declared, { policy: baselinePolicy(bare), text: baselineText, origin: 'builtin', sha256: baselineSha }]
      : declared;
    for (const sha of policyCache.keys())
      if (!pending.has(sha) && !next.policies.some((p) => p.sha256 === sha)) policyCache.delete(sha);
    const keep = new Set([
      ...(next.ocd ? [ocdKey(next.ocd.sha256, next.ocd.name)] : []),
      ...next.filters.map((f) => filterKey(f.sha256, f)),
    ]);
    for (const key of knowledgeCache.keys()) if (!pending.has(key) && !keep.has(key)) knowledgeCache.delete(key);
    layered = undefined;
  };

  const layers = (): Knowledge => {
    if (layered) return layered;
    const list: Knowledge[] = [builtinClassifier];
    const { ocd } = state;
    if (ocd) {
      const key = ocdKey(ocd.sha256, ocd.name);
      let kb = knowledgeCache.get(key);
      if (!kb) {
        const parsed = parsers.ocd(ocd.text, ocd.name);
        // Checked on import; a stored file that no longer parses (a parser change) is skipped, not fatal.
        if (parsed.ok) knowledgeCache.set(key, (kb = createClassifier(parsed.kb, 'open-cookie-database', ocd.name)));
        else log.warn('Consent Auditor: stored Open Cookie Database no longer parses', parsed.errors[0]);
      }
      if (kb) list.push(kb);
    }
    for (const f of state.filters) {
      const key = filterKey(f.sha256, f);
      let engine = knowledgeCache.get(key);
      if (!engine) {
        // The engine inside is built on the first URL classified, not here.
        const parsed = parsers.filters(f.text, { name: f.name, category: f.category });
        if (parsed.ok) knowledgeCache.set(key, (engine = parsed.classifier));
        else log.warn('Consent Auditor: stored filter list no longer parses', f.name, parsed.errors[0]);
      }
      if (engine) list.push(engine);
    }
    return (layered = createLayeredClassifier(list));
  };

  const policiesChanged = async () => {
    try {
      await options.onPoliciesChanged?.(loaded.map((p) => p.policy));
    } catch (error) {
      log.error('Consent Auditor: could not follow the change of policies', error);
    }
  };

  const ready = Promise.all([
    builtinPolicies().then((list) => {
      builtins = list;
    }),
    sha256Hex(baselineText).then((sha) => {
      baselineSha = sha;
    }),
    loadImports(options.storage).catch((error: unknown) => {
      log.error('Consent Auditor: could not read imports; using built-in data only', error);
      return state;
    }),
  ]).then(([, , stored]) => setState(stored));

  const policyFor = (site: string) =>
    policyForSite(
      site,
      loaded.map((entry) => ({ sites: entry.policy.sites, entry })),
    )?.entry;

  return {
    ready,
    policies: () => loaded,
    policyFor,
    policyById: (id) => loaded.find((p) => p.policy.id === id),
    isPolicySite: (site) => loaded.some((p) => p.policy.sites.includes(site)),
    isBuiltinPolicy: (id) => builtins.some((p) => p.policy.id === id),
    siteConflict(policy) {
      for (const [index, site] of policy.sites.entries()) {
        const owner = policyFor(site);
        if (owner && owner.policy.id !== policy.id && !isBaseline(owner.policy)) return { index, site, owner };
      }
      return undefined;
    },
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
        return importsInfo(state);
      },
    },
    parsePolicy(text, sha256) {
      const parsed = parsers.policy(text);
      if (parsed.ok) {
        policyCache.set(sha256, { policy: parsed.policy, text, origin: 'imported', sha256 });
        pending.add(sha256);
      }
      return parsed;
    },
    parseOcd(text, name, sha256) {
      const parsed = parsers.ocd(text, name);
      if (parsed.ok) {
        const key = ocdKey(sha256, name);
        knowledgeCache.set(key, createClassifier(parsed.kb, 'open-cookie-database', name));
        pending.add(key);
      }
      return parsed;
    },
    parseFilters(text, filterOptions, sha256) {
      const parsed = parsers.filters(text, filterOptions);
      if (parsed.ok) {
        const key = filterKey(sha256, filterOptions);
        knowledgeCache.set(key, parsed.classifier);
        pending.add(key);
      }
      return parsed;
    },
    stored: () => state,
    async apply(next) {
      pending.clear();
      setState(next);
      await policiesChanged();
    },
    async follow(changes) {
      if (!Object.values(IMPORT_KEYS).some((k) => k in changes)) return;
      await ready;
      const items: Record<string, unknown> = {
        [IMPORT_KEYS.policies]: state.policies,
        [IMPORT_KEYS.ocd]: state.ocd,
        [IMPORT_KEYS.filters]: state.filters,
        [IMPORT_KEYS.baselineSites]: state.baselineSites,
      };
      for (const [key, change] of Object.entries(changes)) if (key in items) items[key] = change.newValue;
      setState(fromItems(items));
      await policiesChanged();
    },
    listing: () => listingOf(state, loaded, builtins),
    auditWithBaseline(site) {
      return this.serial(async () => {
        await ready;
        if (policyFor(site)) return;
        const sites = [...new Set([...(state.baselineSites ?? []), site])].sort();
        await saveImports(options.storage, 'baselineSites', sites);
        setState({ ...state, baselineSites: sites });
        await policiesChanged();
      });
    },
    serial(change) {
      const run = tail.then(change, change);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

function importsInfo(state: StoredImports): KnowledgeInfo['imports'] {
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
}

function listingOf(
  state: StoredImports,
  loaded: readonly LoadedPolicy[],
  builtins: readonly LoadedPolicy[],
): ImportsListing {
  const builtinIds = new Set(builtins.map((p) => p.policy.id));
  const byId = new Map(state.policies.map((p) => [p.id, p]));
  return {
    builtinKnowledge: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
    policies: loaded.map(({ policy, origin, sha256 }) => {
      const stored = origin === 'imported' ? byId.get(policy.id) : undefined;
      return {
        id: policy.id,
        version: policy.version,
        title: policy.title,
        sites: policy.sites,
        origin,
        sha256,
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
