import { headerCookieObservations, requestObservation, type RawRequest } from '@/lib/collectors/normalize';
import { siteOf } from '@/lib/site';
import type { CookieAttribution } from './cookie-attribution';
import { cookieFlavor } from './cookie-flavor';
import type { Readiness } from './readiness';
import type { Collector, RequestSink } from './sinks';

type BeforeRequest = Parameters<typeof browser.webRequest.onBeforeRequest.addListener>[0];
type HeadersReceived = Parameters<typeof browser.webRequest.onHeadersReceived.addListener>[0];

/**
 * webRequest, observe only. A top-level navigation to a site with a policy starts (or continues)
 * the tab's audit; navigating elsewhere ends it. Every request of an audited tab is recorded,
 * third parties included, and Set-Cookie headers give the lifetime the site *requested*.
 */
export function requestCollector(deps: {
  sink: RequestSink;
  /** The policy that covers a site, from the one registry (lib/sources). */
  policyFor: (site: string) => { policy: { id: string } } | undefined;
  attribution: Pick<CookieAttribution, 'sawRequest' | 'sawHeaderCookie'>;
  readiness: Readiness;
}): Collector {
  const { sink, attribution, readiness } = deps;
  const all = { urls: ['<all_urls>'] };

  const onBeforeRequest: BeforeRequest = (details) => {
    const raw = details as unknown as RawRequest;
    if (raw.tabId < 0) return undefined; // the browser's or another extension's own traffic
    // Tabs not under audit cost a check: their sub-resources return here with no promise.
    readiness.gate(
      () => raw.type !== 'main_frame' && !sink.auditOf(raw.tabId),
      () => {
        if (raw.type === 'main_frame') onNavigation(raw);
        const meta = sink.auditOf(raw.tabId);
        if (!meta) return;
        const observation = requestObservation(raw, raw.type === 'main_frame' ? siteOf(raw.url) : meta.site);
        attribution.sawRequest(raw.tabId, observation.site, raw.timeStamp);
        sink.record(raw.tabId, observation);
      },
    );
    return undefined;
  };

  const onHeadersReceived: HeadersReceived = (details) => {
    const raw = details as unknown as RawRequest;
    if (raw.tabId < 0) return undefined;
    readiness.gate(
      () => !sink.auditOf(raw.tabId),
      () => {
        const meta = sink.auditOf(raw.tabId);
        if (!meta) return;
        const { observations, errors } = headerCookieObservations(raw, meta.site, cookieFlavor());
        for (const o of observations) {
          attribution.sawHeaderCookie(raw.tabId, o.name, o.domain, raw.timeStamp);
          sink.record(raw.tabId, o);
        }
        for (const e of errors) sink.note(raw.tabId, e);
      },
    );
    return undefined;
  };

  function onNavigation(raw: RawRequest): void {
    const site = siteOf(raw.url);
    const current = sink.auditOf(raw.tabId);
    if (current?.site === site) return; // same-site navigation: the audit goes on across pages
    const loaded = deps.policyFor(site);
    if (loaded) sink.start(raw.tabId, site, loaded.policy.id, raw.url, raw.timeStamp);
    else sink.end(raw.tabId, raw.timeStamp);
  }

  return {
    start() {
      browser.webRequest.onBeforeRequest.addListener(onBeforeRequest, all);
      // Chrome hides Set-Cookie from webRequest unless asked for extraHeaders; Firefox rejects the option.
      const extra = (browser.webRequest as unknown as { OnHeadersReceivedOptions?: Record<string, string> })
        .OnHeadersReceivedOptions?.EXTRA_HEADERS;
      const options = (extra ? ['responseHeaders', extra] : ['responseHeaders']) as Parameters<
        typeof browser.webRequest.onHeadersReceived.addListener
      >[2];
      browser.webRequest.onHeadersReceived.addListener(onHeadersReceived, all, options);
    },
    stop() {
      browser.webRequest.onBeforeRequest.removeListener(onBeforeRequest);
      browser.webRequest.onHeadersReceived.removeListener(onHeadersReceived);
    },
  };
}
