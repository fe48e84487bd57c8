import { cookieApiObservation, type RawCookieChange } from '@/lib/collectors/normalize';
import type { AuditStore } from '@/lib/store/audit-store';
import { consentCookieObservation } from '@/lib/collectors/consent-events';
import type { CookieAttribution } from './cookie-attribution';

/** cookies.onChanged: what the browser actually stored, with the effective (capped) expiry. */
export function startCookieCollector(deps: {
  store: AuditStore;
  attribution: CookieAttribution;
  ready: Promise<unknown>;
}): void {
  browser.cookies.onChanged.addListener((change) => {
    const time = Date.now();
    void deps.ready.then(() => {
      const audited = deps.store.audits().filter((a) => a.endedAt === undefined);
      if (!audited.length) return;
      const raw = change as unknown as RawCookieChange;
      for (const tabId of deps.attribution.tabsFor(raw.cookie.name, raw.cookie.domain, time, audited)) {
        const meta = deps.store.auditOf(tabId)!;
        const observation = cookieApiObservation(raw, { time, tabId, topSite: meta.site });
        if (!observation) continue;
        deps.store.record(tabId, observation);
        // A consent platform's choice cookie: its value says the decision (read here, never kept).
        if (!raw.removed) {
          const consent = consentCookieObservation(raw.cookie.name, raw.cookie.value, observation.url, { time, tabId, frameId: -1, topSite: meta.site });
          if (consent) deps.store.record(tabId, consent);
        }
      }
    });
  });
}
