import { consentCookieObservation } from '@/lib/collectors/consent-events';
import { inTabStore } from '@/lib/collectors/cookie-store';
import { cookieApiObservation, type RawCookieChange } from '@/lib/collectors/normalize';
import { siteOf } from '@/lib/site';
import type { CookieAttribution } from './cookie-attribution';
import type { Readiness } from './readiness';
import type { Collector, CookieSink } from './sinks';

/** How long a cookie change that no audit claims waits for one to start (see below). */
const ORPHAN_TTL_MS = 15_000;
const MAX_ORPHANS = 300;

type CookieChanged = Parameters<typeof browser.cookies.onChanged.addListener>[0];

/**
 * cookies.onChanged: what the browser actually stored, with the effective (capped) expiry.
 *
 * Firefox can deliver a page's first cookie changes before the webRequest event of the navigation
 * that starts the audit. Changes no audit claims are kept briefly and replayed when an audit of
 * their site starts, instead of being lost.
 */
export function cookieCollector(deps: {
  sink: CookieSink;
  attribution: Pick<CookieAttribution, 'tabsFor'>;
  readiness: Readiness;
  /** Whether a registrable domain has a declared policy (so an audit of it may start soon). */
  isPolicySite: (site: string) => boolean;
  /** Cookie changes that belong to no audit (the extension's own clean start removing cookies). */
  ignore?: (change: RawCookieChange) => boolean;
  /** The clock (ms); tests inject one. */
  now?: () => number;
  /**
   * The cookie store of a tab: kept (synchronous, undefined while unknown) and read. A change of
   * another store than the audited tab's (`cookie.storeId`) is not that audit's (lib/collectors/cookie-store.ts).
   */
  stores?: { known(tabId: number): string | undefined; read(tabId: number): Promise<string | undefined> };
}): Collector {
  const { sink, readiness } = deps;
  const now = deps.now ?? Date.now;
  let orphans: Array<{ time: number; raw: RawCookieChange }> = [];
  let running = false;

  const storeOfChange = (raw: RawCookieChange) => (raw.cookie as { storeId?: string }).storeId;
  const record = (tabId: number, raw: RawCookieChange, time: number) => {
    const meta = sink.auditOf(tabId);
    if (!meta) return;
    const tabStore = deps.stores?.known(tabId);
    if (tabStore === undefined) void deps.stores?.read(tabId).catch(() => undefined);
    if (!inTabStore(storeOfChange(raw), tabStore)) return;
    const observation = cookieApiObservation(raw, { time, tabId, topSite: meta.site });
    if (!observation) return;
    sink.record(tabId, observation);
    // A consent platform's choice cookie: its value says the decision (read here, never kept).
    if (!raw.removed) {
      const consent = consentCookieObservation(raw.cookie.name, raw.cookie.value, observation.url, {
        time,
        tabId,
        frameId: -1,
        topSite: meta.site,
      });
      if (consent) sink.record(tabId, consent);
    }
  };

  const active = () => sink.audits().filter((a) => a.endedAt === undefined);

  const onChanged: CookieChanged = (change) => {
    const time = now();
    const raw = change as unknown as RawCookieChange;
    if (deps.ignore?.(raw)) return;
    // Browsing with nothing under audit costs a check, not a promise, for cookies of other sites.
    readiness.gate(
      () => !active().length && !deps.isPolicySite(siteOf(raw.cookie.domain)),
      () => {
        const tabs = deps.attribution.tabsFor(raw.cookie.name, raw.cookie.domain, time, active());
        for (const tabId of tabs) record(tabId, raw, time);
        if (!tabs.length && deps.isPolicySite(siteOf(raw.cookie.domain))) {
          orphans = orphans.filter((o) => time - o.time <= ORPHAN_TTL_MS).slice(-(MAX_ORPHANS - 1));
          orphans.push({ time, raw });
        }
      },
    );
  };

  // The store has no way to remove a start listener: it is added once, and idles while stopped.
  let subscribed = false;
  const onStart = (meta: { tabId: number; site: string }) => {
    if (!running) return;
    void deps.stores?.read(meta.tabId).catch(() => undefined);
    const at = now();
    const mine = orphans.filter((o) => at - o.time <= ORPHAN_TTL_MS && siteOf(o.raw.cookie.domain) === meta.site);
    orphans = orphans.filter((o) => !mine.includes(o));
    for (const o of mine) record(meta.tabId, o.raw, o.time);
  };

  return {
    start() {
      running = true;
      browser.cookies.onChanged.addListener(onChanged);
      if (!subscribed) sink.onStart(onStart);
      subscribed = true;
    },
    stop() {
      running = false;
      orphans = [];
      browser.cookies.onChanged.removeListener(onChanged);
    },
  };
}
