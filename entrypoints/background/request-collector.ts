import { headerCookieObservations, requestObservation, type RawRequest } from '@/lib/collectors/normalize';
import { policyForSite } from '@/lib/policy/load';
import type { LoadedPolicy } from '@/lib/policy/builtin';
import { siteOf } from '@/lib/site';
import type { AuditStore } from '@/lib/store/audit-store';
import type { CookieAttribution } from './cookie-attribution';

/** Whose Set-Cookie reading to follow where Chromium and Firefox differ (lib/collectors/cookie-date.ts). */
const cookieFlavor = () => (navigator.userAgent.includes('Firefox/') ? 'firefox' : 'chromium');

/**
 * webRequest, observe only. A top-level navigation to a site with a policy starts (or continues)
 * the tab's audit; navigating elsewhere ends it. Every request of an audited tab is recorded,
 * third parties included, and Set-Cookie headers give the lifetime the site *requested*.
 */
export function startRequestCollector(deps: {
  store: AuditStore;
  policies: () => readonly LoadedPolicy[];
  attribution: CookieAttribution;
  ready: Promise<unknown>;
  isReady: () => boolean;
}): void {
  const { store, attribution } = deps;
  /**
   * Tabs not under audit must cost nothing measurable: once the state is loaded, their
   * sub-resources return here synchronously, with no promise, no allocation beyond the check.
   */
  const ignorable = (raw: RawRequest) =>
    raw.tabId < 0 || (deps.isReady() && raw.type !== 'main_frame' && !store.auditOf(raw.tabId));
  const all = { urls: ['<all_urls>'] };

  browser.webRequest.onBeforeRequest.addListener((details) => {
    const raw = details as unknown as RawRequest;
    if (ignorable(raw)) return undefined; // negative tab ids: the browser's or another extension's own traffic
    void deps.ready.then(() => {
      if (raw.type === 'main_frame') onNavigation(raw);
      const meta = store.auditOf(raw.tabId);
      if (!meta) return;
      const observation = requestObservation(raw, raw.type === 'main_frame' ? siteOf(raw.url) : meta.site);
      attribution.sawRequest(raw.tabId, observation.site, raw.timeStamp);
      store.record(raw.tabId, observation);
    });
    return undefined;
  }, all);

  // Chrome hides Set-Cookie from webRequest unless asked for extraHeaders; Firefox rejects the option.
  const extra = (browser.webRequest as unknown as { OnHeadersReceivedOptions?: Record<string, string> })
    .OnHeadersReceivedOptions?.EXTRA_HEADERS;
  const options = (extra ? ['responseHeaders', extra] : ['responseHeaders']) as Parameters<
    typeof browser.webRequest.onHeadersReceived.addListener
  >[2];
  browser.webRequest.onHeadersReceived.addListener(
    (details) => {
      const raw = details as unknown as RawRequest;
      if (raw.tabId < 0 || (deps.isReady() && !store.auditOf(raw.tabId))) return undefined;
      void deps.ready.then(() => {
        const meta = store.auditOf(raw.tabId);
        if (!meta) return;
        const { observations, errors } = headerCookieObservations(raw, meta.site, cookieFlavor());
        for (const o of observations) {
          attribution.sawHeaderCookie(raw.tabId, o.name, o.domain, raw.timeStamp);
          store.record(raw.tabId, o);
        }
        for (const e of errors) store.note(raw.tabId, e);
      });
      return undefined;
    },
    all,
    options,
  );

  function onNavigation(raw: RawRequest): void {
    const site = siteOf(raw.url);
    const current = store.auditOf(raw.tabId);
    if (current?.site === site) return; // same-site navigation: the audit goes on across pages
    const loaded = policyForSite(
      site,
      deps.policies().map((p) => ({ ...p, sites: p.policy.sites })),
    );
    if (loaded) store.start(raw.tabId, site, loaded.policy.id, raw.url, raw.timeStamp);
    else store.end(raw.tabId, raw.timeStamp);
  }
}
