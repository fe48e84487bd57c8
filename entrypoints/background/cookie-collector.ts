import { cookieApiObservation, type RawCookieChange } from '@/lib/collectors/normalize';
import type { AuditStore } from '@/lib/store/audit-store';
import { consentCookieObservation } from '@/lib/collectors/consent-events';
import type { CookieAttribution } from './cookie-attribution';
import { siteOf } from '@/lib/site';

/** How long a cookie change that no audit claims waits for one to start (see below). */
const ORPHAN_TTL_MS = 15_000;
const MAX_ORPHANS = 300;

/**
 * cookies.onChanged: what the browser actually stored, with the effective (capped) expiry.
 *
 * Firefox can deliver a page's first cookie changes before the webRequest event of the navigation
 * that starts the audit. Changes no audit claims are kept briefly and replayed when an audit of
 * their site starts, instead of being lost.
 */
export function startCookieCollector(deps: {
  store: AuditStore;
  attribution: CookieAttribution;
  ready: Promise<unknown>;
  isReady: () => boolean;
  /** Whether a registrable domain has a declared policy (so an audit of it may start soon). */
  isPolicySite: (site: string) => boolean;
}): void {
  let orphans: Array<{ time: number; raw: RawCookieChange }> = [];

  const record = (tabId: number, raw: RawCookieChange, time: number) => {
    const meta = deps.store.auditOf(tabId);
    if (!meta) return;
    const observation = cookieApiObservation(raw, { time, tabId, topSite: meta.site });
    if (!observation) return;
    deps.store.record(tabId, observation);
    // A consent platform's choice cookie: its value says the decision (read here, never kept).
    if (!raw.removed) {
      const consent = consentCookieObservation(raw.cookie.name, raw.cookie.value, observation.url, {
        time,
        tabId,
        frameId: -1,
        topSite: meta.site,
      });
      if (consent) deps.store.record(tabId, consent);
    }
  };

  const active = () => deps.store.audits().filter((a) => a.endedAt === undefined);

  browser.cookies.onChanged.addListener((change) => {
    const time = Date.now();
    const raw = change as unknown as RawCookieChange;
    // Browsing with nothing under audit costs a check, not a promise, for cookies of other sites.
    if (deps.isReady() && !active().length && !deps.isPolicySite(siteOf(raw.cookie.domain))) return;
    void deps.ready.then(() => {
      const tabs = deps.attribution.tabsFor(raw.cookie.name, raw.cookie.domain, time, active());
      for (const tabId of tabs) record(tabId, raw, time);
      if (!tabs.length && deps.isPolicySite(siteOf(raw.cookie.domain))) {
        orphans = orphans.filter((o) => time - o.time <= ORPHAN_TTL_MS).slice(-(MAX_ORPHANS - 1));
        orphans.push({ time, raw });
      }
    });
  });

  deps.store.onStart((meta) => {
    const now = Date.now();
    const mine = orphans.filter((o) => now - o.time <= ORPHAN_TTL_MS && siteOf(o.raw.cookie.domain) === meta.site);
    orphans = orphans.filter((o) => !mine.includes(o));
    for (const o of mine) record(meta.tabId, o.raw, o.time);
  });
}
