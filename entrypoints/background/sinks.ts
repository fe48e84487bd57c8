/**
 * What each collector may do to the audit store, and nothing more. `AuditStore` satisfies every
 * one of these; a unit test hands a collector a fake that records calls.
 */
import type { UnsequencedObservation } from '@/lib/observations';
import type { AuditMeta } from '@/lib/store/audit-store';

/** Finds a tab's current audit. */
export interface AuditLookup {
  auditOf(tabId: number): AuditMeta | undefined;
}

/** Records an observation in a tab's current audit (nothing when the tab is not under audit). */
export interface RecordSink extends AuditLookup {
  record(tabId: number, observation: UnsequencedObservation): unknown;
}

/** The request collector starts and ends audits on navigation, and notes broken headers. */
export interface RequestSink extends RecordSink {
  start(tabId: number, site: string, policyId: string, url: string, now: number): unknown;
  end(tabId: number, now: number): void;
  note(tabId: number, message: string): void;
}

/** The cookie collector attributes changes to the open audits, and replays early ones on start. */
export interface CookieSink extends RecordSink {
  audits(): readonly AuditMeta[];
  onStart(listener: (meta: AuditMeta) => void): void;
}

/** The consent service records banners, gestures and decisions of a tab's audit. */
export type ConsentSink = RecordSink;

/** A report-time cookie snapshot records into a known audit, even one whose tab moved on. */
export interface SnapshotSink {
  recordFor(auditId: string, observation: UnsequencedObservation): unknown;
}

/** Ends a tab's audit when the tab closes. */
export interface TabSink {
  end(tabId: number, now: number): void;
}

/** A unit of the background that listens to browser events between `start()` and `stop()`. */
export interface Collector {
  /** Adds the listeners; called synchronously in `defineBackground`. */
  start(): void;
  /** Removes every listener `start()` added. */
  stop(): void;
}
