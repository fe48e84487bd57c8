import type { LoadedPolicy } from '@/lib/policy/builtin';
import { AuditStore } from '@/lib/store/audit-store';
import { CookieAttribution } from './cookie-attribution';
import { registerContentScripts } from './content-scripts';
import { startCookieCollector } from './cookie-collector';
import { createImports } from './imports';
import { startMessageHandler } from './message-handler';
import { startRequestCollector } from './request-collector';

/**
 * Composition root. Every listener is registered synchronously on each worker start (MV3 drops
 * events whose listener is added late); handlers wait for `ready` (the persisted index) before
 * touching state, so events that wake a stopped worker are recorded, not lost.
 */
export default defineBackground(() => {
  const store = new AuditStore(browser.storage.local);
  // Built-in policies and knowledge, with what the options page imported (storage.local).
  const imports = createImports(browser.storage.local);
  const policies = (): readonly LoadedPolicy[] => imports.policies();
  const { knowledge, knowledgeInfo } = imports;
  const attribution = new CookieAttribution();
  let isReady = false;
  const ready = Promise.all([
    store.ready,
    imports.ready.then(() => registerContentScripts(policies().map((p) => p.policy))),
  ]).then(
    () => {
      isReady = true;
    },
    (error: unknown) => console.error('Consent Auditor failed to start', error),
  );

  startRequestCollector({ store, policies, attribution, ready, isReady: () => isReady });
  const isPolicySite = (site: string) => policies().some((p) => p.policy.sites.includes(site));
  startCookieCollector({ store, attribution, ready, isReady: () => isReady, isPolicySite });
  startMessageHandler({ store, policies, knowledge, knowledgeInfo, imports, ready, isReady: () => isReady });
  browser.tabs.onRemoved.addListener((tabId) => {
    void ready.then(() => {
      store.end(tabId, Date.now());
      attribution.forget(tabId);
    });
  });
});
