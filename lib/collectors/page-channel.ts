/**
 * The authenticated channel between the page-world hook and the isolated relay, and the relay's
 * bookkeeping of what it rejected. Pure: the entrypoints do the DOM work.
 *
 * Handshake (both scripts run at document_start, before any page script, in either order):
 * the hook listens (capture, on window) for HELLO, then dispatches READY; the relay creates a
 * MessageChannel and dispatches HELLO (a cancelable MessageEvent carrying port2) at once, and again
 * when READY arrives. The hook takes the port, cancels the event (so the relay knows it was taken)
 * and stops listening. Events are dispatched synchronously, and no page listener can exist yet, so
 * the page never sees the port; messages on window with our channel tag are all forged.
 */
import type { PageEvent } from '../messages';
import type { ChannelIntegrity } from '../observations';

export type { ChannelIntegrity };
import { sanitizePageEvent } from './page-event';

export const HELLO_EVENT = 'consent-auditor:relay-hello';
export const READY_EVENT = 'consent-auditor:hook-ready';
/** Relay → hook: asks for a PONG once every event posted before it was delivered (ordering barrier). */
export const PING = 'consent-auditor:ping';
export const PONG = 'consent-auditor:pong';

/** A window message bigger than this is rejected unread (serialised characters). */
export const MAX_MESSAGE_CHARS = 64 * 1024;
/** Forged messages kept as evidence per page; the rest are only counted. */
export const MAX_FORGED_SAMPLES = 20;

export const emptyIntegrity = (): ChannelIntegrity => ({ forged: 0, oversized: 0, malformed: 0, lost: 0 });

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  try {
    return JSON.stringify(data)?.length ?? 0;
  } catch {
    return Infinity; // cycles, BigInt: not ours
  }
}

/**
 * Judges what reaches the relay. Port messages are the hook's: every valid one is kept, however many.
 * Window messages carrying our channel tag are forgeries: a few are kept as evidence, all are counted.
 */
export class ChannelIntake {
  readonly integrity = emptyIntegrity();
  private forgedKept = 0;

  fromPort(data: unknown, now: number, url: string): PageEvent | undefined {
    if (sizeOf(data) > MAX_MESSAGE_CHARS) {
      this.integrity.oversized++;
      return undefined;
    }
    const event = sanitizePageEvent(data, now, url);
    if (!event || event.type === 'forged') {
      this.integrity.malformed++;
      return undefined;
    }
    return event;
  }

  /** A window message tagged with our channel name: never genuine. Returns a sample to keep, if any. */
  fromWindow(data: unknown, now: number, url: string): PageEvent | undefined {
    this.integrity.forged++;
    if (sizeOf(data) > MAX_MESSAGE_CHARS) {
      this.integrity.oversized++;
      return undefined;
    }
    if (this.forgedKept >= MAX_FORGED_SAMPLES) return undefined;
    this.forgedKept++;
    let detail: string;
    try {
      detail = (typeof data === 'string' ? data : JSON.stringify(data)).slice(0, 300);
    } catch {
      detail = '(unserialisable)';
    }
    return { type: 'forged', detail, time: now, url };
  }
}
