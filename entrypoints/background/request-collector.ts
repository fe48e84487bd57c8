import { headerCookieObservations, requestObservation, type RawRequest } from '@/lib/collectors/normalize';
import { siteOf } from '@/lib/site';
import type { CookieAttribution } from './cookie-attribution';
import { cookieFlavor } from './cookie-flavor';
import type { Readiness } from './readiness';
import type { Collector, CookieSink, RequestSink } from './sinks';

/** Chromium's lifecycle fields of a webRequest event (Firefox has none). */
type Lifecycle = { documentLifecycle?: string; documentId?: string; frameType?: string };

/**
 * Sent by a page Chromium prerenders, before the visitor sees it; or a document fetched ahead for one
 * (speculation rules prefetch the page first): a top-level document request never has a document
 * of its own yet, so one that carries a `documentId` is made for the current page, not a navigation.
 */
function isPrerendered(raw: RawRequest): boolean {
  const { documentLifecycle, documentId } = raw as RawRequest & Lifecycle;
  return documentLifecycle === 'prerender' || (raw.type === 'main_frame' && documentId !== undefined);
}

/**
 * `prerendered` names the page for the engine (lib/engine/prerender.ts): its `documentId`, or
 * `document` for the prerender's own document request, sent before its document exists (the engine
 * then knows the page by its URL).
 */
function lifecycleOf(raw: RawRequest): { prerendered?: string } {
  if (!isPrerendered(raw)) return {};
  return {
    prerendered: raw.type === 'main_frame' ? 'document' : ((raw as RawRequest & Lifecycle).documentId ?? 'document'),
  };
}

type BeforeRequest = Parameters<typeof browser.webRequest.onBeforeRequest.addListener>[0];
type HeadersReceived = Parameters<typeof browser.webRequest.onHeadersReceived.addListener>[0];

/**
 * webRequest, observe only. A top-level navigation to a site with a policy starts (or continues)
 * the tab's audit; navigating elsewhere ends it. Every request of an audited tab is recorded,
 * third parties included, and Set-Cookie headers give the lifetime the site *requested*.
 *
 * Headers cost more than requests: Chrome hides Set-Cookie unless a listener asks for
 * `extraHeaders`, and such a listener makes the browser hand every matching response's headers to
 * the worker. So headers are asked for only where an audit needs them:
 * - top-level documents of every tab, from a listener registered synchronously on each worker
 *   start: an audit starts with its first document, whose Set-Cookie must not race the next listener,
 *   and a navigation can wake a stopped worker;
 * - every other response, only in tabs under audit: one listener per audited tab (filter `tabId`),
 *   added when its audit starts, removed when it ends, and added again once the state is loaded
 *   after a worker restart;
 * - every response, while a starting worker loads its state: which tabs are under audit is known
 *   only then, and a worker woken by a navigation in an audited tab must not miss that page's first
 *   sub-resources. Events are held by the readiness gate, and those of tabs not under audit dropped;
 *   the listener is removed as soon as the tabs' own listeners are in place.
 * Tabs not under audit get no header event at all, except in the moment a worker starts.
 *
 * Request bodies (cookie syncing by POST) follow the same rule: only the tab's own listener asks
 * for `requestBody` (see `bodyListenerFor`), so a tab not under audit never has a body copied.
 */
export function requestCollector(deps: {
  sink: RequestSink & Pick<CookieSink, 'audits' | 'onStart'>;
  /** The policy that covers a site, from the one registry (lib/sources). */
  policyFor: (site: string) => { policy: { id: string } } | undefined;
  attribution: Pick<CookieAttribution, 'sawRequest' | 'sawHeaderCookie'>;
  readiness: Readiness;
  /** Each request recorded, after it is (the CNAME resolver's cue, entrypoints/background/cname-resolver.ts). */
  onRecorded?: (tabId: number, observation: ReturnType<typeof requestObservation>) => void;
}): Collector {
  const { sink, attribution, readiness } = deps;
  const all = { urls: ['<all_urls>'] };
  /** The header listener of each audited tab (a function each: the browser keeps one registration per function). */
  const tabListeners = new Map<number, HeadersReceived>();
  let started = false;

  /** The body listener of each audited tab (request bodies are read only there). */
  const bodyListeners = new Map<number, BeforeRequest>();
  /** Tabs whose body listener has fired: their sub-resources are recorded by it, with their bodies. */
  const bodyLive = new Set<number>();
  /** Requests the listener of every tab recorded while the tab's body listener had not fired yet. */
  const recordedEarly = new Map<number, Set<string>>();
  /** The last requests the body listener recorded: the other one's held work must not record them again. */
  const bodyRecorded = new Map<number, Set<string>>();
  const requestKey = (raw: RawRequest) => `${raw.requestId} ${raw.url}`;
  // A prerendered page's document request is no navigation of the tab: the visitor sees nothing yet.
  const isNavigation = (raw: RawRequest) => raw.type === 'main_frame' && !isPrerendered(raw);

  function recordRequest(raw: RawRequest, navigation: boolean): boolean {
    const meta = sink.auditOf(raw.tabId);
    if (!meta) return false;
    const observation = {
      ...requestObservation(raw, navigation ? siteOf(raw.url) : meta.site),
      ...lifecycleOf(raw),
    };
    attribution.sawRequest(raw.tabId, observation.site, raw.timeStamp);
    sink.record(raw.tabId, observation);
    deps.onRecorded?.(raw.tabId, observation);
    return true;
  }

  const onBeforeRequest: BeforeRequest = (details) => {
    const raw = details as unknown as RawRequest;
    if (raw.tabId < 0) return onWorkerRequest(raw);
    const navigation = isNavigation(raw);
    if (!navigation && bodyLive.has(raw.tabId)) return undefined; // recorded by the tab's body listener
    // Tabs not under audit cost a check: their sub-resources return here with no promise.
    readiness.gate(
      () => !navigation && !sink.auditOf(raw.tabId),
      () => {
        if (navigation) onNavigation(raw);
        // The gate runs this later: the body listener may have recorded the same request meanwhile.
        else if (bodyRecorded.get(raw.tabId)?.has(requestKey(raw))) return;
        const recorded = recordRequest(raw, navigation);
        // Its body listener is being added: the same request may reach it next, and must count once.
        if (recorded && !navigation && bodyListeners.has(raw.tabId)) {
          const early = recordedEarly.get(raw.tabId) ?? new Set<string>();
          if (early.size < 256) early.add(requestKey(raw));
          recordedEarly.set(raw.tabId, early);
        }
      },
    );
    return undefined;
  };

  /**
   * The listener of one audited tab that also reads request bodies (`requestBody`): the browser
   * copies a body to the worker only for a listener that asks, so only tabs under audit pay for it,
   * and lib/collectors/normalize.ts keeps nothing of a body but digests of a third party's. Once it
   * has fired, the tab's sub-resources are recorded here and skipped by the listener of every tab
   * (until then, that one records them). Either listener may hear a request first, and the other
   * one's work may run later (the readiness gate holds it): each request is recorded once, by
   * whichever comes first, since each remembers the few it recorded in that moment.
   */
  const bodyListenerFor =
    (tabId: number): BeforeRequest =>
    (details) => {
      const raw = details as unknown as RawRequest;
      if (raw.tabId !== tabId || isNavigation(raw)) return undefined;
      bodyLive.add(tabId);
      const key = requestKey(raw);
      if (recordedEarly.get(tabId)?.delete(key)) return undefined;
      if (!recordRequest(raw, false)) return undefined;
      const recent = bodyRecorded.get(tabId) ?? new Set<string>();
      recent.add(key);
      if (recent.size > 64) recent.delete(recent.values().next().value!);
      bodyRecorded.set(tabId, recent);
      return undefined;
    };

  /**
   * A request with no tab: the browser's own, another extension's, or a service worker's. A worker
   * of a site under audit (its `initiator` in Chromium, `originUrl` / `documentUrl` in Firefox, is
   * the site's origin or script) is recorded in each open audit of that site, marked
   * `fromServiceWorker`: the worker serves all of the site's tabs, and no tab can be told.
   */
  function onWorkerRequest(raw: RawRequest): undefined {
    const origin = raw.initiator ?? raw.originUrl ?? raw.documentUrl;
    if (!origin || !/^https?:/.test(origin)) return undefined;
    const site = siteOf(origin);
    const auditsOfSite = () => sink.audits().filter((a) => a.endedAt === undefined && a.site === site);
    readiness.gate(
      () => auditsOfSite().length === 0,
      () => {
        for (const meta of auditsOfSite())
          sink.record(meta.tabId, {
            ...requestObservation({ ...raw, tabId: meta.tabId }, site),
            fromServiceWorker: true,
          });
      },
    );
    return undefined;
  }

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
    else {
      sink.end(raw.tabId, raw.timeStamp);
      syncTabListeners();
    }
  }

  const headerOptions = () => {
    // Chrome hides Set-Cookie from webRequest unless asked for extraHeaders; Firefox rejects the option.
    const extra = (browser.webRequest as unknown as { OnHeadersReceivedOptions?: Record<string, string> })
      .OnHeadersReceivedOptions?.EXTRA_HEADERS;
    return (extra ? ['responseHeaders', extra] : ['responseHeaders']) as Parameters<
      typeof browser.webRequest.onHeadersReceived.addListener
    >[2];
  };

  /** One header listener per tab under audit, none for any other tab (audits end on navigation, tab close, or a new audit). */
  function syncTabListeners(): void {
    if (!started) return;
    const audited = new Set(sink.audits().flatMap((a) => (a.endedAt === undefined ? [a.tabId] : [])));
    for (const [tabId, listener] of tabListeners)
      if (!audited.has(tabId)) {
        browser.webRequest.onHeadersReceived.removeListener(listener);
        tabListeners.delete(tabId);
      }
    for (const [tabId, listener] of bodyListeners)
      if (!audited.has(tabId)) {
        browser.webRequest.onBeforeRequest.removeListener(listener);
        bodyListeners.delete(tabId);
        bodyLive.delete(tabId);
        recordedEarly.delete(tabId);
        bodyRecorded.delete(tabId);
      }
    for (const tabId of audited) {
      if (bodyListeners.has(tabId)) continue;
      const listener = bodyListenerFor(tabId);
      bodyListeners.set(tabId, listener);
      browser.webRequest.onBeforeRequest.addListener(listener, { ...all, tabId }, ['requestBody']);
    }
    for (const tabId of audited) {
      if (tabListeners.has(tabId)) continue;
      // Top-level documents come through the listener of every tab.
      const listener: HeadersReceived = (details) =>
        (details as { type?: string }).type === 'main_frame' ? undefined : onHeadersReceived(details);
      tabListeners.set(tabId, listener);
      browser.webRequest.onHeadersReceived.addListener(listener, { ...all, tabId }, headerOptions());
    }
  }
  sink.onStart(() => syncTabListeners());
  /** Responses of every tab while the state loads: documents come through the listener of every tab. */
  const starting: HeadersReceived = (details) =>
    (details as { type?: string }).type === 'main_frame' ? undefined : onHeadersReceived(details);

  return {
    start() {
      started = true;
      browser.webRequest.onBeforeRequest.addListener(onBeforeRequest, all);
      browser.webRequest.onHeadersReceived.addListener(
        onHeadersReceived,
        { ...all, types: ['main_frame'] },
        headerOptions(),
      );
      browser.webRequest.onHeadersReceived.addListener(starting, all, headerOptions());
      // After a worker restart: the audits still open get their listeners back once the index is
      // read, then the listener of the starting worker goes (in the same task: no response falls between).
      void readiness.ready.then(() => {
        syncTabListeners();
        browser.webRequest.onHeadersReceived.removeListener(starting);
      });
    },
    stop() {
      started = false;
      browser.webRequest.onBeforeRequest.removeListener(onBeforeRequest);
      browser.webRequest.onHeadersReceived.removeListener(onHeadersReceived);
      browser.webRequest.onHeadersReceived.removeListener(starting);
      for (const listener of tabListeners.values()) browser.webRequest.onHeadersReceived.removeListener(listener);
      tabListeners.clear();
      for (const listener of bodyListeners.values()) browser.webRequest.onBeforeRequest.removeListener(listener);
      bodyListeners.clear();
      bodyLive.clear();
      recordedEarly.clear();
      bodyRecorded.clear();
    },
  };
}
