/**
 * Audits and their observations, persisted so nothing is lost when the MV3 service worker stops
 * (about 30 s idle, or killed at any moment).
 *
 * Trade-off: memory holds the index and the not-yet-written events; events are written in batches
 * (one `set` per flush, never one per event), at most FLUSH_DELAY_MS after the first pending one.
 * A worker killed inside that window loses at most that window's events; everything flushed before
 * is kept. Page events are acknowledged to the relay only once written (`persisted()`), so the
 * relay resends what a stop took; browser events (webRequest, cookies) cannot be resent, so an
 * audit whose worker restarted says so in its notes. Observations are append-only chunks
 * (`obs:v1:<audit>:<n>`), so a flush never rewrites what is already stored.
 *
 * A failed write (quota, storage error) keeps its events in memory, retries with a growing delay,
 * records a note, and never blocks later writes; `health()` tells the popup. Storage is injected:
 * the background passes `browser.storage.local`, tests pass a Map.
 *
 * Running audits also keep their written chunks in memory (`stored`): the popup's snapshot and
 * every report re-read the whole audit, and reading it back from storage made a fresh copy of every
 * observation each time (tens of MB of garbage per second under a burst of events). Those are the
 * same objects as were written, shared with every caller, who must not change them (the engine
 * never does: a unit test runs it over frozen observations). An audit that ends, or a worker that
 * restarts, drops or lacks the cache, and the next read fills it from storage again.
 */
import type { ChannelIntegrity, Observation, UnsequencedObservation } from '../observations';

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
  /** What the page channel's relays rejected or could not deliver, summed over the audit. */
  integrity?: ChannelIntegrity;
  /** Relay batches already recorded (relay id → batch numbers), so a resent batch counts once. */
  relays?: Record<string, number[]>;
  /** Times the worker restarted while this audit ran (events in flight may be missing). */
  restarts?: number;
  /** Finding counts of the last report built, for the history list; `atSeq` says how fresh they are. */
  counts?: AuditCounts;
}

/** An audit's finding counts as of its last report (the history list shows them without a rebuild). */
export interface AuditCounts {
  /** The audit's `nextSeq` when the report was built: counts are stale once more was recorded. */
  atSeq: number;
  findings: number;
  bySeverity: Record<'high' | 'medium' | 'low' | 'info', number>;
}

/** Whether the store can write: shown by the popup, so a full storage is not a silent loss. */
export interface StoreHealth {
  ok: boolean;
  /** Events recorded but not yet written (kept in memory, retried). */
  unsaved: number;
  /** Last write error, while writes fail. */
  error?: string;
  /** The browser's storage quota is exhausted. */
  quota?: boolean;
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
const MAX_RELAYS = 200;
const MAX_BATCHES_PER_RELAY = 1000;
/** Retry delays after a failed write: 200 ms doubling up to 10 s. */
const retryDelay = (failures: number) => Math.min(10_000, 200 * 2 ** Math.max(0, failures - 1));
/** Ended audits kept (the history list, closed tabs included) before the oldest are pruned. */
export const MAX_KEPT_AUDITS = 30;

export class AuditStore {
  private index: Index = { byTab: {}, audits: {} };
  private pending = new Map<string, Observation[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failures = 0;
  private lastError: string | undefined;
  private startListeners: Array<(meta: AuditMeta) => void> = [];
  private dropListeners: Array<(auditId: string) => void> = [];
  private flushListeners: Array<() => void> = [];
  /** Written chunks of running audits, in order, when all of them are known (see the header). */
  private stored = new Map<string, Observation[][]>();
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
    // Audits still running were interrupted by a worker stop: browser events in flight may be missing.
    let interrupted = false;
    for (const id of Object.values(this.index.byTab)) {
      const meta = this.index.audits[id];
      if (meta && meta.endedAt === undefined) {
        meta.restarts = (meta.restarts ?? 0) + 1;
        interrupted = true;
      }
    }
    // Written at once, not with the next batch: a worker stopped again within FLUSH_DELAY_MS (an MV3
    // worker can be, and a test does it on purpose) would otherwise lose the count of this restart.
    if (interrupted) await this.storage.set({ [INDEX_KEY]: this.index }).catch(() => undefined);
  }

  /** Whether writes succeed, and how many events wait in memory. */
  health(): StoreHealth {
    let unsaved = 0;
    for (const events of this.pending.values()) unsaved += events.length;
    if (!this.lastError) return { ok: true, unsaved };
    return { ok: false, unsaved, error: this.lastError, ...(isQuotaError(this.lastError) ? { quota: true } : {}) };
  }

  /**
   * A relay batch arrives: false when this batch number was already recorded (a resend after a
   * worker stop). Integrity counts are summed.
   */
  acceptBatch(tabId: number, relay: { id: string; seq: number }, integrity?: ChannelIntegrity): boolean {
    const meta = this.auditOf(tabId);
    if (!meta) return true;
    const relays = (meta.relays ??= {});
    const seen = (relays[relay.id] ??= []);
    if (seen.includes(relay.seq)) return false;
    seen.push(relay.seq);
    if (seen.length > MAX_BATCHES_PER_RELAY) seen.shift();
    const ids = Object.keys(relays);
    if (ids.length > MAX_RELAYS) delete relays[ids[0]!];
    if (integrity) {
      const sum = (meta.integrity ??= { forged: 0, oversized: 0, malformed: 0, lost: 0 });
      for (const k of Object.keys(sum) as Array<keyof ChannelIntegrity>) {
        const n = integrity[k];
        if (Number.isInteger(n) && n > 0) sum[k] += n;
      }
    }
    this.schedule();
    return true;
  }

  /** Resolves once everything recorded so far is written (or rejects if this write failed; it is retried). */
  async persisted(): Promise<boolean> {
    await this.flush();
    return this.lastError === undefined;
  }

  /** The tab's current audit, if the tab is under audit. */
  auditOf(tabId: number): AuditMeta | undefined {
    const id = this.index.byTab[tabId];
    return id ? this.index.audits[id] : undefined;
  }

  audits(): AuditMeta[] {
    return Object.values(this.index.audits);
  }

  /** An audit by its id, running or ended (the history list, a report opened from it). */
  byId(auditId: string): AuditMeta | undefined {
    return Object.hasOwn(this.index.audits, auditId) ? this.index.audits[auditId] : undefined;
  }

  /** Keeps the counts of the report just built, for the history list. */
  setCounts(auditId: string, counts: AuditCounts): void {
    const meta = this.byId(auditId);
    if (!meta) return;
    meta.counts = counts;
    this.schedule();
  }

  /**
   * Deletes an audit and its observations (from the history list). A running audit stops first:
   * its tab is no longer audited until a clean audit is started. False when no such audit.
   */
  async remove(auditId: string): Promise<boolean> {
    const meta = this.byId(auditId);
    if (!meta) return false;
    await this.writing; // a write in progress may be adding one of its chunks
    if (this.index.byTab[meta.tabId] === auditId) delete this.index.byTab[meta.tabId];
    this.drop(meta);
    await this.flush();
    return true;
  }

  private drop(meta: AuditMeta): void {
    delete this.index.audits[meta.auditId];
    this.pending.delete(meta.auditId);
    this.stored.delete(meta.auditId);
    const keys = Array.from({ length: meta.chunks }, (_, n) => chunkKey(meta.auditId, n));
    if (keys.length) void this.storage.remove(keys).catch(() => undefined);
    for (const listener of this.dropListeners) listener(meta.auditId);
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
    this.stored.set(meta.auditId, []); // nothing written yet: the cache is complete
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
    this.stored.delete(meta.auditId); // ended audits are read from storage (kept in memory, 30 of them would not fit)
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
    // A failed write keeps its events pending: they are returned below, so a report never fails for it.
    // A write in flight has counted its chunk already: wait for it, so the read finds the chunk.
    if (this.pending.size) await this.flush();
    else await this.writing;
    const meta = this.index.audits[auditId];
    if (!meta) return [];
    let chunks = this.stored.get(auditId);
    if (!chunks || chunks.length !== meta.chunks) chunks = await this.readChunks(meta);
    const out: Observation[] = [];
    for (const chunk of chunks) for (const o of chunk) out.push(o);
    for (const o of this.pending.get(auditId) ?? []) out.push(o); // events recorded during a read
    return out;
  }

  /** An audit's written chunks from storage; kept in memory while the audit runs and nothing was written meanwhile. */
  private async readChunks(meta: AuditMeta): Promise<Observation[][]> {
    const keys = Array.from({ length: meta.chunks }, (_, n) => chunkKey(meta.auditId, n));
    const stored = keys.length ? await this.storage.get(keys) : {};
    const chunks = keys.map((k) => (stored[k] as Observation[] | undefined) ?? []);
    const complete = chunks.every((chunk, n) => keys[n]! in stored && Array.isArray(chunk));
    if (complete && meta.endedAt === undefined && meta.chunks === keys.length && this.index.audits[meta.auditId])
      this.stored.set(meta.auditId, chunks);
    return chunks;
  }

  /**
   * A chunk changed in storage (the area's change event): a change that is not this store's own
   * write (another length, or the chunk gone) drops the audit's memory, so storage stays the truth.
   */
  storageChanged(key: string, newLength: number | undefined): void {
    const match = /^obs:v1:(.+):(\d+)$/.exec(key);
    const cached = match ? this.stored.get(match[1]!) : undefined;
    if (!cached) return;
    const chunk = cached[Number(match![2])];
    if (chunk && chunk.length !== newLength) this.stored.delete(match![1]!);
  }

  /** Called after each successful write (the popup's snapshot rebuilds from it). */
  onFlush(listener: () => void): void {
    this.flushListeners.push(listener);
  }

  private schedule(): void {
    // Not reset by later events: latency stays bounded under a steady stream of events.
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Writes pending events and the index in one storage call. Never rejects: a failure is retried. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    const taken = this.pending;
    this.pending = new Map(); // events recorded during the write wait for the next one
    const items: Record<string, unknown> = {};
    const written: AuditMeta[] = [];
    for (const [auditId, events] of taken) {
      const meta = this.index.audits[auditId];
      if (!meta || !events.length) continue;
      items[chunkKey(auditId, meta.chunks++)] = events;
      written.push(meta);
    }

    items[INDEX_KEY] = this.index;
    try {
      await this.storage.set(items);
    } catch (error) {
      for (const meta of written) meta.chunks--; // those chunk numbers were not written
      // Keep the events, ahead of any recorded meanwhile, and try again later.
      for (const [auditId, events] of taken)
        this.pending.set(auditId, [...events, ...(this.pending.get(auditId) ?? [])]);
      const message = error instanceof Error ? error.message : String(error);
      if (this.failures++ === 0)
        for (const meta of this.audits().filter((a) => a.endedAt === undefined))
          this.addNote(meta, `storage write failed (${message}): events kept in memory and retried`);
      this.lastError = message;
      // A full quota: the oldest ended audit makes room for the running ones (they are evidence being made).
      if (isQuotaError(message)) this.dropOldestEnded();
      this.timer ??= setTimeout(() => void this.flush(), retryDelay(this.failures));
      return;
    }
    for (const meta of written) {
      const cached = this.stored.get(meta.auditId);
      // Only onto a cache that held every chunk before this one; otherwise the next read refills it.
      if (cached && cached.length === meta.chunks - 1) cached.push(taken.get(meta.auditId)!);
      else this.stored.delete(meta.auditId);
    }
    for (const listener of this.flushListeners) listener();
    if (this.failures) {
      const failures = this.failures;
      this.failures = 0;
      this.lastError = undefined;
      for (const meta of this.audits().filter((a) => a.endedAt === undefined))
        this.addNote(meta, `storage write succeeded again after ${failures} failed attempt(s); no event was lost`);
      this.schedule();
    }
  }

  private addNote(meta: AuditMeta, message: string): void {
    if (meta.notes.length < MAX_NOTES) meta.notes.push(message);
  }

  private endedOldestFirst(): AuditMeta[] {
    return this.audits()
      .filter((a) => a.endedAt !== undefined)
      .sort((a, b) => a.startedAt - b.startedAt);
  }

  /** Drops the oldest ended audits beyond MAX_KEPT_AUDITS, with their chunks. */
  private prune(): void {
    const ended = this.endedOldestFirst();
    const excess = ended.length - MAX_KEPT_AUDITS;
    for (const meta of ended.slice(0, Math.max(0, excess))) this.drop(meta);
  }

  /** Frees room when storage is full: the oldest ended audit goes, with a note on the running ones. */
  private dropOldestEnded(): void {
    const oldest = this.endedOldestFirst()[0];
    if (!oldest) return;
    this.drop(oldest);
    for (const meta of this.audits().filter((a) => a.endedAt === undefined))
      this.addNote(
        meta,
        `storage full: the oldest past audit (${oldest.site}, ${new Date(oldest.startedAt).toISOString()}) was deleted to make room`,
      );
  }

  /** Called for every audit deleted (by `remove`, the history bound or a full quota): its review marks go too. */
  onDrop(listener: (auditId: string) => void): void {
    this.dropListeners.push(listener);
  }
}

function isQuotaError(message: string): boolean {
  return /quota/i.test(message);
}

/** Report notes on what the audit may lack: channel rejections, undelivered events, worker restarts. */
export function integrityNotes(meta: AuditMeta): string[] {
  const notes: string[] = [];
  const i = meta.integrity;
  if (i?.forged)
    notes.push(`Page channel: ${i.forged} forged message(s) posted on the page (never taken for the hook's reports).`);
  if (i?.oversized) notes.push(`Page channel: ${i.oversized} oversized message(s) rejected unread.`);
  if (i?.malformed) notes.push(`Page channel: ${i.malformed} malformed hook message(s) rejected.`);
  if (i?.lost)
    notes.push(
      `${i.lost} page-world event(s) may be missing: the extension's background did not acknowledge them after every retry.`,
    );
  if (meta.restarts)
    notes.push(
      `The extension's background restarted ${meta.restarts} time(s) during this audit: browser events (requests, cookie changes) of at most ${FLUSH_DELAY_MS} ms before each stop may be missing; their number cannot be known. Page-world events are resent and counted once.`,
    );
  return notes;
}

/** The popup's line when the store cannot write; undefined when all is well. */
export function storageHealthMessage(health: StoreHealth): string | undefined {
  if (health.ok) return undefined;
  if (health.quota)
    return `The extension's storage is full: ${health.unsaved} recorded event(s) are kept in memory only and will be lost if the browser stops the extension. Export this report, then remove old audits or imports (Policies and knowledge sources…).`;
  return `Saving the audit failed (${health.error ?? 'unknown error'}): ${health.unsaved} recorded event(s) are kept in memory and retried.`;
}
