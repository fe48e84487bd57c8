import { frameMatches, type FrameHosts } from '@/lib/collectors/frame-hosts';
import { siteOf } from '@/lib/site';
import type { Readiness } from './readiness';
import type { AuditLookup, Collector, CookieSink } from './sinks';

type BeforeRequest = Parameters<typeof browser.webRequest.onBeforeRequest.addListener>[0];
type Scripts = Parameters<typeof browser.scripting.registerContentScripts>[0];

export const FRAME_HOOK_ID = 'consent-auditor-frame-page-hook';
export const FRAME_RELAY_ID = 'consent-auditor-frame-relay';
export const FRAME_CONSENT_ID = 'consent-auditor-frame-consent';
export const FRAME_AUTOCONSENT_ID = 'consent-auditor-frame-autoconsent';
const IDS = [FRAME_HOOK_ID, FRAME_RELAY_ID, FRAME_CONSENT_ID, FRAME_AUTOCONSENT_ID];
/** The frame hosts of each audited tab, kept across worker restarts (the registrations outlive the worker). */
export const FRAME_HOSTS_KEY = 'frames:v1:hosts';
/** The longest a frame request of an audited tab waits for its registration (Firefox). */
const BLOCK_MS = 1_000;

/**
 * Cross-site frames of audited tabs (a YouTube embed, a map, a chat widget, a consent platform's
 * own frame) get the page hook, the relay and the consent script too, so what they store and show
 * is recorded under the tab's audit with the frame's own URL and frameId.
 *
 * How: the browser tells the frame's host in `webRequest.onBeforeRequest` (type `sub_frame`, the
 * audited tab's id) before the frame's document is even requested; the host is then added to a
 * second set of registered content scripts (`allFrames`, `document_start`). The registration races
 * the frame's document on the network: Firefox holds the request until it landed; in Chromium, a
 * frame that won the race gets the scripts right after (`catchUp`). Measured and weighed in
 * docs/architecture.md, "Frames of other sites". Only hosts framed by an
 * audited tab are registered, and only while that tab's audit runs: tabs not under audit run none of
 * our code, except a tab that opens one of those hosts at top level during the audit, whose reports
 * the background drops (no audit). A sub_frame request of a tab not under audit costs one map lookup.
 */
export function frameScripts(deps: {
  sink: AuditLookup & Partial<Pick<CookieSink, 'audits' | 'onStart'>>;
  readiness: Readiness;
  /** The sites policies declare: their frames already have the scripts (content-scripts.ts). */
  isPolicySite: (site: string) => boolean;
  storage?: Pick<typeof browser.storage.session, 'get' | 'set'>;
}): Collector & { forget(tabId: number): void; applied(): Promise<void> } {
  const { sink, readiness } = deps;
  const storage = deps.storage ?? browser.storage.session;
  /** Tab id → its audit and the frame hosts seen in it. */
  let hosts: FrameHosts = {};
  let loaded: Promise<void> | undefined;
  let chain: Promise<void> = Promise.resolve();
  let registered: string[] | undefined;
  /** The hosts as last stored: each top-level load of an audited tab applies, and mostly nothing changed. */
  let stored: string | undefined;
  /** Hosts added since the last registration, by tab: their frames may have committed before it landed. */
  const fresh = new Map<number, Set<string>>();

  const load = () =>
    (loaded ??= storage.get(FRAME_HOSTS_KEY).then(
      (stored) => {
        const value = (stored as Record<string, unknown>)[FRAME_HOSTS_KEY];
        if (value && typeof value === 'object') hosts = { ...(value as FrameHosts), ...hosts };
      },
      () => undefined,
    ));

  /** The hosts of audits still running; registrations follow them (one browser call at a time). */
  const apply = () => {
    chain = chain
      .then(load)
      .then(async () => {
        // The hosts this registration covers: one seen from now on waits for the next.
        const due = [...fresh].map(([tabId, added]) => [tabId, new Set(added)] as const);
        fresh.clear();
        for (const [tab, entry] of Object.entries(hosts))
          if (sink.auditOf(Number(tab))?.auditId !== entry.auditId) delete hosts[Number(tab)];
        const matches = frameMatches(hosts, deps.isPolicySite);
        // Written only when changed: no storage write on the page's load path for nothing.
        const text = JSON.stringify(hosts);
        if (text !== stored)
          stored = await storage.set({ [FRAME_HOSTS_KEY]: hosts }).then(
            () => text,
            () => undefined,
          );
        registered ??= await current();
        if (JSON.stringify(matches) !== JSON.stringify(registered)) {
          // Updated in place: a frame of a host already covered never falls in a gap between two calls.
          if (!matches.length) await browser.scripting.unregisterContentScripts({ ids: IDS });
          else if (registered.length)
            await browser.scripting.updateContentScripts(IDS.map((id) => ({ id, matches })) as never);
          else await browser.scripting.registerContentScripts(scripts(matches));
          registered = matches;
        }
        for (const [tabId, added] of due) if (hosts[tabId]) await catchUp(tabId, added);
      })
      .catch((error: unknown) => {
        registered = undefined; // read back from the browser next time
        console.warn('Consent Auditor: could not register the frame scripts', error);
      });
    return chain;
  };

  /**
   * Notes the frame host of an audited tab; resolves once the registration that covers it landed
   * (at once when nothing changed). Tabs not under audit return here synchronously, with no promise.
   */
  const see = (details: { tabId: number; url: string; type: string }): Promise<void> | undefined => {
    const { tabId, url, type } = details;
    if (tabId < 0) return undefined;
    if (readiness.isReady() && !sink.auditOf(tabId) && !hosts[tabId] && !blockers.has(tabId)) return undefined;
    return readiness.ready.then(() => {
      const meta = sink.auditOf(tabId);
      // A new top-level document may have ended the tab's audit (the request collector decides).
      if (type === 'main_frame') {
        syncBlockers();
        return apply();
      }
      if (!meta || !/^https?:/.test(url)) return undefined;
      const site = siteOf(url);
      if (site === meta.site || deps.isPolicySite(site)) return undefined;
      const host = new URL(url).hostname;
      const entry = hosts[tabId]?.auditId === meta.auditId ? hosts[tabId] : { auditId: meta.auditId, hosts: [] };
      if (entry.hosts.includes(host)) return chain;
      hosts[tabId] = { auditId: meta.auditId, hosts: [...entry.hosts, host] };
      fresh.set(tabId, (fresh.get(tabId) ?? new Set()).add(host));
      return apply();
    });
  };
  const onBeforeRequest: BeforeRequest = (details) => {
    void see(details as unknown as { tabId: number; url: string; type: string });
    return undefined;
  };
  /**
   * Firefox (blocking webRequest stays in its MV3): a frame of a new host waits until the scripts
   * are registered for it, at most BLOCK_MS, so its first script always meets the hook. Measured
   * without it, Firefox ESR registered too late on 2 of 3 loads of the fixture's frames.
   * A blocking listener makes Firefox wait for the worker's answer to every request it hears, so
   * there is one per audited tab (filter `tabId`), added when its audit starts and removed when it
   * ends: a frame of a tab not under audit never waits for us. The listener of every tab, which
   * does not block, sees the same frames (also the first ones after a worker restart).
   */
  const blocking = import.meta.env.FIREFOX;
  const blockers = new Map<number, BeforeRequest>();
  const blockerFor =
    (tabId: number): BeforeRequest =>
    (details) => {
      const pending = see({ ...(details as unknown as { url: string; type: string }), tabId });
      if (!pending) return undefined;
      const waited = Promise.race([pending, new Promise((resolve) => setTimeout(resolve, BLOCK_MS))]);
      return waited.then(() => ({})) as never;
    };
  /** One blocking listener per tab under audit, none for any other tab. */
  const syncBlockers = () => {
    if (!blocking || !deps.sink.audits) return;
    const audited = new Set(deps.sink.audits().flatMap((a) => (a.endedAt === undefined ? [a.tabId] : [])));
    for (const [tabId, listener] of blockers)
      if (!audited.has(tabId)) {
        browser.webRequest.onBeforeRequest.removeListener(listener);
        blockers.delete(tabId);
      }
    for (const tabId of audited) {
      if (blockers.has(tabId)) continue;
      const listener = blockerFor(tabId);
      blockers.set(tabId, listener);
      browser.webRequest.onBeforeRequest.addListener(listener, { urls: ['<all_urls>'], types: ['sub_frame'], tabId }, [
        'blocking',
      ]);
    }
  };
  let running = false;
  // The store has no way to remove a start listener: it is added once, and idles while stopped.
  deps.sink.onStart?.(() => {
    if (running) syncBlockers();
  });

  return {
    start() {
      running = true;
      browser.webRequest.onBeforeRequest.addListener(onBeforeRequest, {
        urls: ['<all_urls>'],
        types: ['main_frame', 'sub_frame'],
      });
      // After a worker restart: audits that ended meanwhile take their hosts along.
      void readiness.ready.then(() => {
        syncBlockers();
        return apply();
      });
    },
    stop() {
      running = false;
      browser.webRequest.onBeforeRequest.removeListener(onBeforeRequest);
      for (const listener of blockers.values()) browser.webRequest.onBeforeRequest.removeListener(listener);
      blockers.clear();
    },
    forget(tabId) {
      syncBlockers();
      if (!hosts[tabId]) return;
      delete hosts[tabId];
      void apply();
    },
    applied: () => chain,
  };
}

/**
 * A frame that committed before its host's registration landed (Chromium cannot hold the request)
 * has none of our scripts: they are injected now. Writes it made before are then found by the
 * relay's first storage reading, which a late relay compares with an empty one (`seenBy: snapshot`).
 * Frames whose relay runs, or that commit later (the registration covers them), are left alone.
 */
async function catchUp(tabId: number, added: ReadonlySet<string>): Promise<void> {
  type Probe = { host: string; late: boolean };
  try {
    const found = (await browser.scripting.executeScript({
      target: { tabId, allFrames: true },
      func: () => {
        const g = globalThis as { consentAuditorRelay?: boolean; consentAuditorLate?: boolean };
        // Checked and marked in one step, in the frame: the relay started here runs as a late one.
        const late = !g.consentAuditorRelay && window !== window.top;
        if (late) g.consentAuditorLate = true;
        return { host: location.hostname, late };
      },
    })) as Array<{ frameId: number; result?: Probe }>;
    const frameIds = found.filter((r) => r.result?.late && added.has(r.result.host)).map((r) => r.frameId);
    if (!frameIds.length) return;
    const target = { tabId, frameIds };
    await browser.scripting.executeScript({
      target,
      files: ['/content-scripts/relay.js', '/content-scripts/consent.js', '/content-scripts/autoconsent.js'],
    });
    await browser.scripting.executeScript({ target, files: ['/content-scripts/page-hook.js'], world: 'MAIN' } as never);
  } catch (error) {
    console.warn('Consent Auditor: could not add the scripts to a frame that loaded first', error);
  }
}

/** The registered frame scripts' matches, as the browser has them. */
async function current(): Promise<string[]> {
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: IDS });
  if (existing.length !== IDS.length) {
    if (existing.length) await browser.scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
    return [];
  }
  return [...(existing[0]?.matches ?? [])].sort();
}

/**
 * The same scripts as the audited site's own (content-scripts.ts), for the frame hosts: autoconsent
 * at document_idle, as on the site, so that a platform's banner served in a frame is found by its rules.
 */
function scripts(matches: string[]): Scripts {
  const common = { matches, allFrames: true, runAt: 'document_start', persistAcrossSessions: false } as const;
  return [
    { id: FRAME_HOOK_ID, js: ['content-scripts/page-hook.js'], world: 'MAIN', ...common },
    { id: FRAME_RELAY_ID, js: ['content-scripts/relay.js'], ...common },
    { id: FRAME_CONSENT_ID, js: ['content-scripts/consent.js'], ...common },
    { id: FRAME_AUTOCONSENT_ID, js: ['content-scripts/autoconsent.js'], ...common, runAt: 'document_idle' },
  ] as Scripts;
}
