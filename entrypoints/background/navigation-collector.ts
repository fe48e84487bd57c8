import { CommittedDocuments, historyPage, type RawNavigation } from '@/lib/collectors/navigation';
import type { Readiness } from './readiness';
import type { Collector, RecordSink } from './sinks';

type HistoryListener = Parameters<typeof browser.webNavigation.onHistoryStateUpdated.addListener>[0];
type CommitListener = Parameters<typeof browser.webNavigation.onCommitted.addListener>[0];
type RemovedListener = Parameters<typeof browser.tabs.onRemoved.addListener>[0];

/**
 * Pages the browser shows without a document request (lib/collectors/navigation.ts): history-API
 * navigations, prerender activations and back/forward-cache restores of audited tabs, recorded as
 * `page` observations. The browser decides, never the page world: a page can fake a pushState.
 * Tabs not under audit cost a lookup per navigation event.
 */
export function navigationCollector(deps: { sink: RecordSink; readiness: Readiness }): Collector {
  const { sink, readiness } = deps;
  const documents = new CommittedDocuments();

  const onHistory: HistoryListener = (details) => {
    const raw = details as unknown as RawNavigation;
    readiness.gate(
      () => !sink.auditOf(raw.tabId),
      () => {
        const meta = sink.auditOf(raw.tabId);
        const observation = meta && historyPage(raw, meta.site);
        if (observation) sink.record(raw.tabId, observation);
      },
    );
  };
  // Every tab's commits are remembered (a prerender can start before its tab's audit does), ids only.
  const onCommitted: CommitListener = (details) => {
    const raw = details as unknown as RawNavigation;
    if (!raw.documentId) return; // Firefox: nothing to tell a restore by
    readiness.gate(
      () => false,
      () => {
        const meta = sink.auditOf(raw.tabId);
        const observation = documents.committed(raw, meta?.site);
        if (observation) sink.record(raw.tabId, observation);
      },
    );
  };
  const onRemoved: RemovedListener = (tabId) => documents.forget(tabId);

  return {
    start() {
      browser.webNavigation.onHistoryStateUpdated.addListener(onHistory);
      browser.webNavigation.onCommitted.addListener(onCommitted);
      browser.tabs.onRemoved.addListener(onRemoved);
    },
    stop() {
      browser.webNavigation.onHistoryStateUpdated.removeListener(onHistory);
      browser.webNavigation.onCommitted.removeListener(onCommitted);
      browser.tabs.onRemoved.removeListener(onRemoved);
    },
  };
}
