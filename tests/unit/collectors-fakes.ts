/**
 * Fakes for the collectors' unit tests: browser events WXT's fakeBrowser leaves unmocked
 * (webRequest, cookies), and a sink that keeps what collectors give it.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { UnsequencedObservation } from '../../lib/observations';
import type { AuditMeta } from '../../lib/store/audit-store';
import type { CookieSink, RequestSink, SnapshotSink, TabSink } from '../../entrypoints/background/sinks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => unknown;

export interface FakeEvent {
  addListener(listener: Listener, ...options: unknown[]): void;
  removeListener(listener: Listener): void;
  hasListener(listener: Listener): boolean;
  hasListeners(): boolean;
  /** Calls every listener whose filter (`tabId`, `types`) matches, as the browser would. */
  fire(...args: unknown[]): void;
  /** The extra arguments (filters, extraInfoSpec) of each listener still registered, in order. */
  options: unknown[][];
}

export function fakeEvent(): FakeEvent {
  const listeners: Listener[] = [];
  const options: unknown[][] = [];
  return {
    addListener(listener, ...rest) {
      listeners.push(listener);
      options.push(rest);
    },
    removeListener(listener) {
      const i = listeners.indexOf(listener);
      if (i >= 0) {
        listeners.splice(i, 1);
        options.splice(i, 1);
      }
    },
    hasListener: (listener) => listeners.includes(listener),
    hasListeners: () => listeners.length > 0,
    fire: (...args) =>
      void [...listeners].map((l) => {
        const filter = options[listeners.indexOf(l)]?.[0] as { tabId?: number; types?: string[] } | undefined;
        const details = args[0] as { tabId?: number; type?: string } | undefined;
        if (filter?.tabId !== undefined && details?.tabId !== filter.tabId) return;
        if (filter?.types && !filter.types.includes(details?.type ?? '')) return;
        l(...args);
      }),
    options,
  };
}

/** Replaces the webRequest and cookies events of fakeBrowser with fakes a test can fire. */
export function installFakeEvents() {
  const events = {
    beforeRequest: fakeEvent(),
    headersReceived: fakeEvent(),
    cookieChanged: fakeEvent(),
  };
  Object.assign(fakeBrowser.webRequest, {
    onBeforeRequest: events.beforeRequest,
    onHeadersReceived: events.headersReceived,
  });
  Object.assign(fakeBrowser.cookies, { onChanged: events.cookieChanged });
  return events;
}

/** A sink that keeps audits by tab and every call, with no storage behind it. */
export class FakeSink implements RequestSink, CookieSink, TabSink, SnapshotSink {
  readonly metas = new Map<string, AuditMeta>();
  readonly byTab = new Map<number, string>();
  readonly recorded: Array<{ tabId: number; observation: UnsequencedObservation }> = [];
  readonly notes: Array<{ tabId: number; message: string }> = [];
  private listeners: Array<(meta: AuditMeta) => void> = [];
  private next = 1;

  auditOf(tabId: number): AuditMeta | undefined {
    const id = this.byTab.get(tabId);
    return id ? this.metas.get(id) : undefined;
  }
  audits(): AuditMeta[] {
    return [...this.metas.values()];
  }
  start(tabId: number, site: string, policyId: string, url: string, now: number): AuditMeta {
    this.end(tabId, now);
    const meta: AuditMeta = {
      auditId: `audit-${this.next++}`,
      tabId,
      site,
      policyId,
      url,
      startedAt: now,
      nextSeq: 1,
      chunks: 0,
      notes: [],
    };
    this.metas.set(meta.auditId, meta);
    this.byTab.set(tabId, meta.auditId);
    for (const l of this.listeners) l(meta);
    return meta;
  }
  end(tabId: number, now: number): void {
    const meta = this.auditOf(tabId);
    if (!meta) return;
    meta.endedAt = now;
    this.byTab.delete(tabId);
  }
  record(tabId: number, observation: UnsequencedObservation): unknown {
    if (!this.auditOf(tabId)) return undefined;
    this.recorded.push({ tabId, observation });
    return observation;
  }
  recordFor(auditId: string, observation: UnsequencedObservation): unknown {
    const meta = this.metas.get(auditId);
    if (!meta) return undefined;
    this.recorded.push({ tabId: meta.tabId, observation });
    return observation;
  }
  note(tabId: number, message: string): void {
    this.notes.push({ tabId, message });
  }
  onStart(listener: (meta: AuditMeta) => void): void {
    this.listeners.push(listener);
  }
  /** What was recorded for a tab, by kind. */
  of(tabId: number, kind?: UnsequencedObservation['kind']) {
    return this.recorded
      .filter((r) => r.tabId === tabId && (!kind || r.observation.kind === kind))
      .map((r) => r.observation);
  }
}

/** A readiness promise the test resolves when it wants the "state loaded" moment. */
export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The registry's answer for the fixture's one site with a policy. */
export const o2toitPolicyFor = (site: string) => (site === 'o2toit.com' ? { policy: { id: 'o2toit.com' } } : undefined);

/** webRequest details with increasing ids and times from `t0`; a request with no tab has no frame. */
export function rawRequests(t0: number) {
  let id = 0;
  return (tabId: number, type: string, url: string, extra: object = {}) => ({
    requestId: String(++id),
    url,
    method: 'GET',
    type,
    tabId,
    frameId: tabId < 0 ? -1 : 0,
    timeStamp: t0 + id,
    ...extra,
  });
}
