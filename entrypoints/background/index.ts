import { ReviewStore } from '@/lib/review/marks';
import { AuditStore } from '@/lib/store/audit-store';
import { cleanStartService } from './clean-start';
import { cnameResolver } from './cname-resolver';
import { consentService } from './consent-service';
import { registerContentScripts } from './content-scripts';
import { CookieAttribution } from './cookie-attribution';
import { cookieCollector } from './cookie-collector';
import { knownStoreOf, storeOf } from './cookie-stores';
import { frameScripts } from './frame-scripts';
import { createImports } from './imports';
import { startMessageHandler } from './message-handler';
import { createReadiness } from './readiness';
import { reportSnapshots } from './report-snapshot';
import { navigationCollector } from './navigation-collector';
import { requestCollector } from './request-collector';
import { tabEnds } from './tab-ends';

/**
 * Composition root. Every listener is registered synchronously on each worker start (MV3 drops
 * events whose listener is added late); handlers wait for `ready` (the persisted index and the
 * imports) before touching state, so events that wake a stopped worker are recorded, not lost.
 */
export default defineBackground(() => {
  const store = new AuditStore(browser.storage.local);
  // Review marks by audit; an audit the store deletes (history bound, full quota) takes its marks along.
  const reviews = new ReviewStore(browser.storage.local);
  store.onDrop((auditId) => void reviews.remove(auditId).catch(() => undefined));
  // Built-in policies and knowledge, with what the options page imported (storage.local).
  const sources = createImports(browser.storage.local);
  const { knowledge, knowledgeInfo } = sources;
  const attribution = new CookieAttribution();
  // Reads back the banner frames an earlier worker kept in storage.session.
  const consent = consentService();
  const readiness = createReadiness(
    Promise.all([
      store.ready,
      sources.ready.then(() => registerContentScripts(sources.policies().map((p) => p.policy))),
    ]),
    (error) => console.error('Consent Auditor failed to start', error),
  );
  const { ready, isReady } = readiness;
  const cleanStart = cleanStartService(store);
  cleanStart.start();

  // Firefox resolves the site's hosts' canonical names (CNAME cloaking); Chromium has no DNS API.
  const cnames = cnameResolver({ sink: store });
  // Cross-site frames of audited tabs get the content scripts too (frame-scripts.ts).
  const frames = frameScripts({ sink: store, readiness, isPolicySite: sources.isPolicySite });
  for (const collector of [
    requestCollector({ sink: store, policyFor: sources.policyFor, attribution, readiness, onRecorded: cnames.saw }),
    navigationCollector({ sink: store, readiness }),
    frames,
    cookieCollector({
      sink: store,
      attribution,
      readiness,
      isPolicySite: sources.isPolicySite,
      ignore: cleanStart.isOwnRemoval,
      stores: { known: knownStoreOf, read: storeOf },
    }),
    tabEnds({
      sink: store,
      readiness,
      forget: [(tabId) => attribution.forget(tabId), consent.forgetTab, frames.forget, cnames.forget],
    }),
  ])
    collector.start();
  const snapshots = reportSnapshots({
    store,
    policies: sources.policies,
    knowledge,
    knowledgeInfo,
    reviews,
    cleanStart,
  });
  snapshots.start();
  startMessageHandler({
    snapshots,
    store,
    policies: sources.policies,
    knowledge,
    knowledgeInfo,
    imports: sources,
    reviews,
    ready,
    isReady,
    cleanStart,
  });
});
