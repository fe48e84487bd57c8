import type { Readiness } from './readiness';
import type { Collector, TabSink } from './sinks';

type TabRemoved = Parameters<typeof browser.tabs.onRemoved.addListener>[0];

/**
 * A closed tab ends its audit (its data stays for export), and everything kept per tab is dropped:
 * the cookie attribution's recent requests and Set-Cookie headers, and the consent banner's frame.
 */
export function tabEnds(deps: {
  sink: TabSink;
  readiness: Readiness;
  /** Per-tab state to drop, each called with the closed tab's id. */
  forget: ReadonlyArray<(tabId: number) => unknown>;
  now?: () => number;
}): Collector {
  const now = deps.now ?? Date.now;
  const onRemoved: TabRemoved = (tabId) => {
    deps.readiness.gate(
      () => false,
      () => {
        deps.sink.end(tabId, now());
        for (const forget of deps.forget) void forget(tabId);
      },
    );
  };
  return {
    start: () => browser.tabs.onRemoved.addListener(onRemoved),
    stop: () => browser.tabs.onRemoved.removeListener(onRemoved),
  };
}
