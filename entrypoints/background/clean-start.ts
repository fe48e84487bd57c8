import type { CleanStartDone, ConsentReport, ContainerAuditDone } from '@/lib/messages';
import { siteOf } from '@/lib/site';
import {
  cleanTargets,
  originsOf,
  shouldClear,
  type CleanStartRecord,
  type CleanTargets,
  type StartCookieRecord,
  type StartStateRecord,
} from '@/lib/start-state';
import type { AuditMeta, AuditStore } from '@/lib/store/audit-store';
import { setStoreOf, storeOf } from './cookie-stores';
import { readSettings } from './start-settings';

/** Start states by audit id, in storage.local beside the audits (pruned with them). */
export const START_STATES_KEY = 'start-states:v1';
/** How long a cookie removal of ours is kept from the audits (its change event arrives later). */
const OWN_REMOVAL_MS = 15_000;
/** The Firefox container of isolated audits: reused by its name, its site's cookies cleared before each. */
export const AUDIT_CONTAINER = 'Consent Auditor';
/** How long the tab may take to leave the audited page before the clearing goes on anyway. */
const LEAVE_TIMEOUT_MS = 3_000;

type StoredCookie = {
  name: string;
  domain: string;
  path: string;
  secure: boolean;
  session: boolean;
  hostOnly?: boolean;
  storeId?: string;
  partitionKey?: { topLevelSite?: string; hasCrossSiteAncestor?: boolean };
};
type CookiesApi = {
  getAll(details: Record<string, unknown>): Promise<StoredCookie[]>;
  remove(details: Record<string, unknown>): Promise<unknown>;
  getAllCookieStores(): Promise<Array<{ id: string; tabIds: number[] }>>;
};
type Identity = { cookieStoreId: string; name: string };
type Optional = {
  contextualIdentities?: {
    query(details: { name?: string }): Promise<Identity[]>;
    create(details: { name: string; color: string; icon: string }): Promise<Identity>;
  };
  browsingData?: { remove(options: Record<string, unknown>, types: Record<string, boolean>): Promise<void> };
};

const api = () => browser as unknown as Optional & { cookies: CookiesApi };
const isFirefox = () =>
  typeof (browser.runtime as unknown as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';
const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The clean start and the start state of every audit. On each audit's start it reads the browser's
 * cookie store for the site (its subdomains, its partition, and the third parties its last audit
 * loaded) and the settings that change results; the report judges them (lib/start-state.ts).
 *
 * A clean start leaves the audited page (so no script of it writes while the clearing runs),
 * removes those cookies one by one through the cookies API (partitioned ones too), clears the
 * site's storage with `browsingData` (Chromium by origin, Firefox by hostname; sessionStorage,
 * which neither clears, from the page itself first), then opens the page again: the new audit
 * starts with its first request, from a state it records as clean.
 */
export function cleanStartService(store: AuditStore) {
  const reading = new Map<string, Promise<StartStateRecord>>();
  const cleaned = new Map<number, CleanStartRecord>();
  /** Cookies we removed (`name|domain|path`) and until when their change events are ours. */
  const ownRemovals = new Map<string, number>();
  /** Tabs being cleared: the leaving page's last reports must not start an audit (message-handler.ts). */
  const cleaning = new Set<number>();

  /** Every cookie a clean start of `targets` removes, from the store of the tab, partitioned ones included. */
  async function relevantCookies(targets: CleanTargets, storeId: string | undefined): Promise<StoredCookie[]> {
    const { cookies } = api();
    const store = storeId ? { storeId } : {};
    // partitionKey {} includes partitioned cookies (Firefox TCP, CHIPS); older browsers refuse it.
    const getAll = (details: Record<string, unknown>) =>
      cookies
        .getAll({ ...details, ...store, partitionKey: {} })
        .catch(() => cookies.getAll({ ...details, ...store }))
        .catch(() => [] as StoredCookie[]);
    const lists = await Promise.all([
      getAll({ domain: targets.site }),
      // The site's partition: third parties' cookies set while on the site.
      cookies
        .getAll({ ...store, partitionKey: { topLevelSite: `https://${targets.site}` } })
        .catch(() => [] as StoredCookie[]),
      ...targets.thirdPartyHosts.map((host) => getAll({ domain: host })),
    ]);
    const seen = new Set<string>();
    return lists.flat().filter((c) => {
      const key = `${c.name}|${c.domain}|${c.path}|${c.partitionKey?.topLevelSite ?? ''}`;
      if (seen.has(key) || !shouldClear(record(c), targets)) return false;
      seen.add(key);
      return true;
    });
  }

  /** The hosts of the site's audit before `meta` (its last one), and of `meta` itself when `withOwn`. */
  async function lastTargets(meta: Pick<AuditMeta, 'auditId' | 'site'>, withOwn = false): Promise<CleanTargets> {
    const previous = store
      .audits()
      .filter((a) => a.site === meta.site && a.auditId !== meta.auditId)
      .at(-1);
    const ids = [...(previous ? [previous.auditId] : []), ...(withOwn ? [meta.auditId] : [])];
    const observations = (await Promise.all(ids.map((id) => store.observations(id)))).flat();
    return cleanTargets(meta.site, observations);
  }

  async function readStartState(meta: AuditMeta): Promise<StartStateRecord> {
    const errors: string[] = [];
    const storeId = await storeOf(meta.tabId);
    const targets = await lastTargets(meta).catch((e) => {
      errors.push(`the hosts of the last audit could not be read: ${reasonOf(e)}`);
      return cleanTargets(meta.site, []);
    });
    const cookies = await relevantCookies(targets, storeId).catch((e) => {
      errors.push(`the cookie store could not be read: ${reasonOf(e)}`);
      return [];
    });
    const readAt = Date.now();
    const clean = cleaned.get(meta.tabId);
    cleaned.delete(meta.tabId);
    const state: StartStateRecord = {
      readAt,
      cookies: cookies.map(record),
      settings: await readSettings(meta.tabId, storeId),
      ...(clean ? { cleanStart: clean } : {}),
      ...(errors.length ? { errors } : {}),
    };
    await save(meta.auditId, state).catch(() => undefined);
    return state;
  }

  /** Saves run one after another: each rewrites the one key, so two at once could drop one. */
  let saving: Promise<void> = Promise.resolve();
  function save(auditId: string, state: StartStateRecord): Promise<void> {
    saving = saving.catch(() => undefined).then(() => write(auditId, state));
    return saving;
  }

  async function write(auditId: string, state: StartStateRecord): Promise<void> {
    const stored = ((await browser.storage.local.get(START_STATES_KEY))[START_STATES_KEY] ?? {}) as Record<
      string,
      StartStateRecord
    >;
    const kept = new Set(store.audits().map((a) => a.auditId));
    const next: Record<string, StartStateRecord> = {};
    for (const [id, s] of Object.entries(stored)) if (kept.has(id)) next[id] = s;
    next[auditId] = state;
    await browser.storage.local.set({ [START_STATES_KEY]: next });
  }

  /** Waits (bounded) until the tab shows about:blank, so no script of the audited page still runs. */
  async function leavePage(tabId: number): Promise<void> {
    let done: () => void = () => undefined;
    const left = new Promise<void>((resolve) => (done = resolve));
    // tab.url of about:blank is hidden without the "tabs" permission: the first load completed after
    // our update is taken as the blank page's.
    const listener = (id: number, info: { status?: string }) => {
      if (id === tabId && info.status === 'complete') done();
    };
    browser.tabs.onUpdated.addListener(listener as never);
    try {
      await browser.tabs.update(tabId, { url: 'about:blank' });
      await Promise.race([left, new Promise((r) => setTimeout(r, LEAVE_TIMEOUT_MS))]);
    } finally {
      browser.tabs.onUpdated.removeListener(listener as never);
    }
  }

  /** Removes cookies through the cookies API, each from its own store and partition; their change events are ours. */
  async function removeCookies(cookies: StoredCookie[], errors: string[]): Promise<CleanStartRecord['cookies']> {
    const removed: CleanStartRecord['cookies'] = [];
    for (const c of cookies) {
      const domain = c.domain.replace(/^\./, '');
      ownRemovals.set(`${c.name}|${domain}|${c.path}`, Date.now() + OWN_REMOVAL_MS);
      await api()
        .cookies.remove({
          url: `http${c.secure ? 's' : ''}://${domain}${c.path}`,
          name: c.name,
          ...(c.storeId ? { storeId: c.storeId } : {}),
          ...(c.partitionKey && Object.keys(c.partitionKey).length ? { partitionKey: c.partitionKey } : {}),
        })
        .then(
          () => removed.push({ name: c.name, domain }),
          (e) => errors.push(`cookie ${c.name}@${domain} not removed: ${reasonOf(e)}`),
        );
    }
    return removed;
  }

  async function clearStorage(targets: CleanTargets, errors: string[]): Promise<void> {
    const data = api().browsingData;
    if (!data) {
      errors.push('browsingData is not available: localStorage and IndexedDB were not cleared');
      return;
    }
    // Chromium filters by origin; Firefox by hostname, and not every data type takes a filter.
    const filter = isFirefox() ? { hostnames: targets.siteHosts } : { origins: originsOf(targets.siteHosts) };
    const types = isFirefox()
      ? ['localStorage', 'indexedDB', 'serviceWorkers']
      : ['localStorage', 'indexedDB', 'cacheStorage', 'serviceWorkers', 'fileSystems'];
    for (const type of types) {
      await data.remove(filter, { [type]: true }).catch((e) => errors.push(`${type} not cleared: ${reasonOf(e)}`));
    }
  }

  /** The start state of an audit: still being read, or kept in storage (after a worker restart). */
  async function startStateOf(auditId: string): Promise<StartStateRecord | undefined> {
    const pending = reading.get(auditId);
    if (pending) return pending.catch(() => undefined);
    const all = (await browser.storage.local.get(START_STATES_KEY).catch(() => ({}))) as Record<string, unknown>;
    const stored = all[START_STATES_KEY] as Record<string, StartStateRecord> | undefined;
    return stored?.[auditId];
  }

  return {
    /** Reads the start state of every audit as it starts. */
    start(): void {
      store.onStart((meta) => {
        const pending = readStartState(meta);
        reading.set(meta.auditId, pending);
        void pending
          .finally(() => reading.get(meta.auditId) === pending && reading.delete(meta.auditId))
          .catch(() => undefined);
      });
    },

    /** The start state of an audit: still being read, or kept in storage (after a worker restart). */
    startStateOf,

    /**
     * The first page's storage as read before any of its scripts (consent content script, at
     * document_start): joined to the tab's audit start state, once per audit.
     */
    storageAtStart(tabId: number, snapshot: Extract<ConsentReport, { kind: 'storage-snapshot' }>): void {
      const meta = store.auditOf(tabId);
      if (!meta || siteOf(snapshot.origin) !== meta.site) return;
      const entries = snapshot.entries.slice(0, 500).map(({ area, key }) => ({ area, origin: snapshot.origin, key }));
      const pending = (reading.get(meta.auditId) ?? startStateOf(meta.auditId)).then(async (state) => {
        if (!state || state.storage) return state!;
        const next = { ...state, storage: entries };
        await save(meta.auditId, next).catch(() => undefined);
        return next;
      });
      reading.set(meta.auditId, pending as Promise<StartStateRecord>);
      void pending
        .finally(() => reading.get(meta.auditId) === pending && reading.delete(meta.auditId))
        .catch(() => undefined);
    },

    /** True while the tab is being cleared: no audit may start in it until the page is reopened. */
    isCleaning(tabId: number): boolean {
      return cleaning.has(tabId);
    },

    /** True for a cookie change caused by our own clearing: it belongs to no audit. */
    isOwnRemoval(change: { removed: boolean; cookie: { name: string; domain: string; path: string } }): boolean {
      if (!change.removed) return false;
      const key = `${change.cookie.name}|${change.cookie.domain.replace(/^\./, '')}|${change.cookie.path}`;
      const until = ownRemovals.get(key);
      if (until === undefined) return false;
      if (until < Date.now()) ownRemovals.delete(key);
      return until >= Date.now();
    },

    /**
     * An audit isolated from the auditor's own browsing (Firefox): the page opened in a new tab of the
     * dedicated container, after the site's cookies and storage in that container were cleared. The
     * new tab's audit starts with its first request; its start state names the container.
     */
    async containerAudit(meta: AuditMeta): Promise<ContainerAuditDone> {
      const identities = api().contextualIdentities;
      if (!identities) throw new Error('this browser has no containers (contextualIdentities)');
      const errors: string[] = [];
      const tab = (await browser.tabs.get(meta.tabId)) as { url?: string };
      const url = tab.url && siteOf(tab.url) === meta.site ? tab.url : meta.url;
      const identity =
        (await identities.query({ name: AUDIT_CONTAINER })).find((i) => i.name === AUDIT_CONTAINER) ??
        (await identities.create({ name: AUDIT_CONTAINER, color: 'purple', icon: 'fingerprint' }));
      const storeId = identity.cookieStoreId;
      const targets = await lastTargets(meta, true);
      const removed = await removeCookies(await relevantCookies(targets, storeId), errors);
      const data = api().browsingData;
      for (const type of ['localStorage', 'indexedDB']) {
        await data
          ?.remove({ cookieStoreId: storeId, hostnames: targets.siteHosts }, { [type]: true })
          .catch((e) => errors.push(`${type} of the container not cleared: ${reasonOf(e)}`));
      }
      // A blank tab first: its store and clean start are known before the audited page's first request.
      const opened = await browser.tabs.create({ url: 'about:blank', cookieStoreId: storeId, active: true } as never);
      const tabId = opened.id!;
      setStoreOf(tabId, storeId);
      const hosts = [...targets.siteHosts, ...targets.thirdPartyHosts];
      cleaned.set(tabId, { at: Date.now(), cookies: removed, hosts, errors });
      await browser.tabs.update(tabId, { url });
      return { tabId, container: AUDIT_CONTAINER, cookieStoreId: storeId, cookies: removed.length, errors };
    },

    /** Clears the audited site's cookies and storage and those of its last third parties, then reopens the page. */
    async clean(meta: AuditMeta): Promise<CleanStartDone> {
      const { tabId } = meta;
      if (cleaning.has(tabId)) throw new Error('a clean start of this tab is already running');
      cleaning.add(tabId);
      try {
        return await clear(meta);
      } finally {
        cleaning.delete(tabId);
      }
    },
  };

  async function clear(meta: AuditMeta): Promise<CleanStartDone> {
    const { tabId } = meta;
    const errors: string[] = [];
    const tab = (await browser.tabs.get(tabId)) as { url?: string };
    const url = tab.url && siteOf(tab.url) === meta.site ? tab.url : meta.url;
    // This audit's hosts, and those of the one before it: a visit that accepted may be the earlier one.
    const targets = await lastTargets(meta, true);
    const storeId = await storeOf(tabId);
    // sessionStorage survives a reload in the same tab and browsingData does not clear it: the
    // page's frames clear theirs (and localStorage, in case the browser keeps it per partition).
    await browser.scripting
      .executeScript({
        target: { tabId, allFrames: true },
        func: () => {
          for (const area of ['sessionStorage', 'localStorage'] as const)
            try {
              window[area].clear();
            } catch {
              /* storage disabled in this frame */
            }
        },
      })
      .catch((e) => errors.push(`the page's sessionStorage was not cleared: ${reasonOf(e)}`));
    store.end(tabId, Date.now());
    await leavePage(tabId).catch((e) => errors.push(`the page could not be left first: ${reasonOf(e)}`));
    const cookies = await relevantCookies(targets, storeId);
    const removed = await removeCookies(cookies, errors);
    await clearStorage(targets, errors);
    const hosts = [...targets.siteHosts, ...targets.thirdPartyHosts];
    cleaned.set(tabId, { at: Date.now(), cookies: removed, hosts, errors });
    // The new audit starts with this navigation's first request (request-collector.ts).
    cleaning.delete(tabId);
    await browser.tabs.update(tabId, { url });
    return { cookies: removed.length, hosts, errors };
  }
}

export type CleanStartService = ReturnType<typeof cleanStartService>;

function record(c: StoredCookie): StartCookieRecord {
  const top = c.partitionKey?.topLevelSite;
  return {
    name: c.name,
    domain: c.domain.replace(/^\./, ''),
    path: c.path,
    session: c.session,
    ...(top ? { partitionSite: siteOf(top) } : {}),
  };
}
