/**
 * The relay's delivery of page events to the background: nothing dropped to make room, nothing
 * duplicated. Events are sent in numbered batches of at most MAX_BATCH, one at a time; a batch
 * leaves the queue only when the background acknowledged it (after persisting it), and is retried
 * otherwise, so a worker stop mid-send loses nothing. The background ignores a batch number it has
 * already recorded, so a retry of a batch that did arrive is not counted twice. After MAX_ATTEMPTS
 * (about 25 s of retries) the batch is given up and its size counted in `lost`, which the next
 * batch reports, with the counts the lost batch carried.
 */
import type { PageEvent } from '../messages';
import type { ChannelIntegrity } from './page-channel';

export const MAX_BATCH = 500;
export const MAX_ATTEMPTS = 8;

export interface RelayBatch {
  relay: { id: string; seq: number };
  events: PageEvent[];
  /** Counts since the previous acknowledged batch. */
  integrity: ChannelIntegrity;
}

export interface QueueDeps {
  /** Resolves true when the background acknowledged the batch. */
  send: (batch: RelayBatch) => Promise<boolean>;
  /** Schedules a retry; the default is setTimeout. */
  later?: (fn: () => void, ms: number) => void;
  integrity: ChannelIntegrity;
  id: string;
}

export class RelayQueue {
  private queue: PageEvent[] = [];
  private seq = 0;
  private busy = false;
  private inFlight: RelayBatch | undefined;
  private attempts = 0;
  /** Integrity counts already delivered. */
  private sent: ChannelIntegrity = { forged: 0, oversized: 0, malformed: 0, lost: 0 };
  readonly later: (fn: () => void, ms: number) => void;

  constructor(private readonly deps: QueueDeps) {
    this.later = deps.later ?? ((fn, ms) => void setTimeout(fn, ms));
  }

  push(event: PageEvent): void {
    this.queue.push(event);
  }

  get pending(): number {
    return this.queue.length + (this.inFlight?.events.length ?? 0);
  }

  private changed(): boolean {
    const i = this.deps.integrity;
    return (Object.keys(i) as Array<keyof ChannelIntegrity>).some((k) => i[k] !== this.sent[k]);
  }

  /** Sends queued events, batch after batch, until the queue is empty. */
  async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.inFlight || this.queue.length || this.changed()) {
        const batch = (this.inFlight ??= this.next());
        let ok = false;
        try {
          ok = await this.deps.send(batch);
        } catch {
          ok = false;
        }
        if (ok) {
          this.sent = { ...this.sent, ...diffAdd(this.sent, batch.integrity) };
          this.inFlight = undefined;
          this.attempts = 0;
          continue;
        }
        if (++this.attempts >= MAX_ATTEMPTS) {
          // Give the events up, and stop until the next event: its batch carries the counts, lost included.
          this.deps.integrity.lost += batch.events.length;
          this.inFlight = undefined;
          this.attempts = 0;
          break;
        }
        const wait = 100 * 2 ** (this.attempts - 1);
        await new Promise<void>((resolve) => this.later(resolve, wait));
      }
    } finally {
      this.busy = false;
    }
  }

  /** The page is going away: everything still queued, at once, in numbered batches (no retry possible). */
  flushAll(): RelayBatch[] {
    const batches: RelayBatch[] = [];
    if (this.inFlight) batches.push(this.inFlight);
    this.inFlight = undefined;
    while (this.queue.length || this.changed()) {
      const batch = this.next();
      this.sent = { ...this.sent, ...diffAdd(this.sent, batch.integrity) };
      batches.push(batch);
    }
    return batches;
  }

  private next(): RelayBatch {
    const events = this.queue.splice(0, MAX_BATCH);
    const integrity = diff(this.deps.integrity, this.sent);
    return { relay: { id: this.deps.id, seq: ++this.seq }, events, integrity };
  }
}

function diff(now: ChannelIntegrity, sent: ChannelIntegrity): ChannelIntegrity {
  return {
    forged: now.forged - sent.forged,
    oversized: now.oversized - sent.oversized,
    malformed: now.malformed - sent.malformed,
    lost: now.lost - sent.lost,
  };
}

function diffAdd(sent: ChannelIntegrity, delta: ChannelIntegrity): ChannelIntegrity {
  return {
    forged: sent.forged + delta.forged,
    oversized: sent.oversized + delta.oversized,
    malformed: sent.malformed + delta.malformed,
    lost: sent.lost + delta.lost,
  };
}
