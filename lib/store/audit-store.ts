/**
 * Audits and their observations, persisted so nothing is lost when the MV3 service worker stops
 * (about 30 s idle, or killed at any moment).
 *
 * Trade-off: memory holds the index and the not-yet-written events; events are written in batches
 * (one `set` per flush, never one per event), at most FLUSH_DELAY_MS after the first pending one.
 * A worker killed inside that window loses at most that window's events; everything flushed before
 * is kept. Observations are append-only chunks (`obs:v1:<audit>:<n>`), so a flush never rewrites
 * what is already stored. Storage is injected: the background passes `browser.storage.local`,
 * tests pass a Map.
 */
import type { Observation, UnsequencedObservation } from '../observations';

export interface KeyValueStorage {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export interface AuditMeta {
  auditId: string;
  tabId: number;
  site: string;
  policyId: string;
  url: string;
  startedAt: number;
  endedAt?: number;
  nextSeq: number;
  chunks: number;
  /** Input problems met while recording (a broken Set-Cookie header...): reported, never fatal. */
  notes: string[];
}

interface Index {
  /** Current audit per tab. */
  byTab: Record<string, string>;
  audits: Record<string, AuditMeta>;
}

export const INDEX_KEY = 'audits:v1';
const chunkKey = (auditId: string, n: number) => `obs:v1:${auditId}:${n}`;
export const FLUSH_DELAY_MS = 100;
const MAX_NOTES = 50;
/** Ended audits kept for export before the oldest are pruned. */
const MAX_KEPT_AUDITS = 30;

export class AuditStore {
  private index: Index = { byTab: {}, audits: {} };
  private pending = new Map<string, Observation[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private startListeners: Array<(meta: AuditMeta) => void> = [];
  readonly ready: Promise<void>;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly newId: () => string = () => globalThis.crypto.randomUUID(),
  ) {
    this.ready = this.hydrate();
  }

  private async hydrate(): Promise<void> {
    const stored = (await this.storage.get(INDEX_KEY))[INDEX_KEY] as Index | undefined;
    if (stored && typeof stored === 'object' && stored.byTab && stored.audits) this.index = stored;
  }

  /** The tab's current audit, if the tab is under audit. */
  auditOf(tabId: number): AuditMeta | undefined {
    const id = this.index.byTab[tabId];
    return id ? this.index.audits[id] : undefined;
  }

  audits(): AuditMeta[] {
    return Object.values(this.index.audits);
  }

  start(tabId: number, site: string, policyId: string, url: string, now: number): AuditMeta {
    this.end(tabId, now);
    const meta: AuditMeta = {
      auditId: this.newId(),
      tabId,
      site,
      policyId,
      url,
      startedAt: now,
      nextSeq: 1,
      chunks: 0,
      notes: [],
    };
    this.index.audits[meta.auditId] = meta;
    this.index.byTab[tabId] = meta.auditId;
    this.prune();
    this.schedule();
    for (const listener of this.startListeners) listener(meta);
    return meta;
  }

  /** Called after each audit starts: collectors replay events that arrived before it. */
  onStart(listener: (meta: AuditMeta) => void): void {
    this.startListeners.push(listener);
  }

  /** Stops auditing the tab; its data stays available until pruned. */
  end(tabId: number, now: number): void {
    const meta = this.auditOf(tabId);
    if (!meta) return;
    meta.endedAt = now;
    delete this.index.byTab[tabId];
    this.schedule();
  }

  /** Stamps the observation with the audit's next sequence number and queues it for the next flush. */
  record(tabId: number, observation: UnsequencedObservation): Observation | undefined {
    const meta = this.auditOf(tabId);
    return meta ? this.recordFor(meta.auditId, observation) : undefined;
  }

  /** Like record(), for a known audit, even one whose tab has moved on (report-time snapshots). */
  recordFor(auditId: string, observation: UnsequencedObservation): Observation | undefined {
    const meta = this.index.audits[auditId];
    if (!meta) return undefined;
    const stamped = { ...observation, seq: meta.nextSeq++ } as Observation;
    const list = this.pending.get(meta.auditId);
    if (list) list.push(stamped);
    else this.pending.set(meta.auditId, [stamped]);
    this.schedule();
    return stamped;
  }

  note(tabId: number, message: string): void {
    const meta = this.auditOf(tabId);
    if (!meta || meta.notes.length >= MAX_NOTES) return;
    meta.notes.push(message);
    this.schedule();
  }

  /**
   * Everything recorded for an audit. Pending events are flushed first, so whatever a report has
   * shown is already persisted and survives a worker stop.
   */
  async observations(auditId: string): Promise<Observation[]> {
    if (this.pending.size) await this.flush();
    await this.writing;
    const meta = this.index.audits[auditId];
    if (!meta) return [];
    const keys = Array.from({ length: meta.chunks }, (_, n) => chunkKey(auditId, n));
    const stored = keys.length ? await this.storage.get(keys) : {};
    const chunks = keys.flatMap((k) => (stored[k] as Observation[] | undefined) ?? []);
    return [...chunks, ...(this.pending.get(auditId) ?? [])]; // events recorded during the read
  }

  private schedule(): void {
    // Not reset by later events: latency stays bounded under a steady stream of events.
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Writes pending events and the index in one storage call. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(async () => {
      const items: Record<string, unknown> = {};
      for (const [auditId, events] of this.pending) {
        const meta = this.index.audits[auditId];
        if (!meta || !events.length) continue;
        items[chunkKey(auditId, meta.chunks++)] = events;
      }
      this.pending.clear();
      items[INDEX_KEY] = this.index;
      await this.storage.set(items);
    });
    return this.writing;
  }

  /** Drops the oldest ended audits beyond MAX_KEPT_AUDITS, with their chunks. */
  private prune(): void {
    const ended = this.audits()
      .filter((a) => a.endedAt !== undefined)
      .sort((a, b) => a.startedAt - b.startedAt);
    const excess = ended.length - MAX_KEPT_AUDITS;
    for (const meta of ended.slice(0, Math.max(0, excess))) {
      delete this.index.audits[meta.auditId];
      const keys = Array.from({ length: meta.chunks }, (_, n) => chunkKey(meta.auditId, n));
      if (keys.length) void this.storage.remove(keys);
    }
  }
}
