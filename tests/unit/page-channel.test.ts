import { describe, expect, it } from 'vitest';
import {
  ChannelIntake,
  MAX_FORGED_SAMPLES,
  MAX_MESSAGE_CHARS,
  emptyIntegrity,
} from '../../lib/collectors/page-channel';
import { MAX_ATTEMPTS, MAX_BATCH, RelayQueue, type RelayBatch } from '../../lib/collectors/relay-queue';
import type { PageEvent } from '../../lib/messages';

const URL = 'https://www.o2toit.com/';
const write = (n: number): PageEvent => ({
  type: 'storage',
  area: 'localStorage',
  action: 'set',
  key: `k${n}`,
  valueLength: 1,
  time: 1000,
  url: URL,
});

/** A background that records batches like the real one: a batch number it saw is not recorded again. */
function background(failures: (attempt: number, batch: RelayBatch) => 'ok' | 'lost-answer' | 'refused') {
  const recorded: PageEvent[] = [];
  const seen = new Set<number>();
  const integrity = emptyIntegrity();
  let attempt = 0;
  const send = async (batch: RelayBatch) => {
    const outcome = failures(++attempt, batch);
    if (outcome === 'refused') throw new Error('Could not establish connection. Receiving end does not exist.');
    if (!seen.has(batch.relay.seq)) {
      seen.add(batch.relay.seq);
      recorded.push(...batch.events);
      for (const k of Object.keys(integrity) as Array<keyof typeof integrity>) integrity[k] += batch.integrity[k];
    }
    if (outcome === 'lost-answer') throw new Error('The message port closed before a response was received.');
    return true;
  };
  return { recorded, integrity, send };
}

const now = (fn: () => void) => fn();

describe('ChannelIntake', () => {
  it('keeps every valid port message, rejects oversized and malformed ones, and counts them', () => {
    const intake = new ChannelIntake();
    expect(intake.fromPort(write(1), 5, URL)).toMatchObject({ type: 'storage', key: 'k1' });
    expect(intake.fromPort({ ...write(2), key: 'x'.repeat(MAX_MESSAGE_CHARS) }, 5, URL)).toBeUndefined();
    expect(intake.fromPort({ type: 'consent', decision: 'accept' }, 5, URL)).toBeUndefined();
    expect(intake.fromPort(null, 5, URL)).toBeUndefined();
    expect(intake.integrity).toEqual({ forged: 0, oversized: 1, malformed: 2, lost: 0 });
  });

  it('never takes a window message for the hook: all are counted, a few kept as forged evidence', () => {
    const intake = new ChannelIntake();
    const kept = Array.from({ length: 50 }, (_, n) => intake.fromWindow(write(n), 5, URL)).filter(Boolean);
    expect(kept).toHaveLength(MAX_FORGED_SAMPLES);
    expect(kept.every((e) => e!.type === 'forged')).toBe(true);
    expect(intake.integrity.forged).toBe(50);
  });
});

describe('RelayQueue', () => {
  it('delivers a burst of 10,000 events in batches, none dropped to make room', async () => {
    const bg = background(() => 'ok');
    const queue = new RelayQueue({ send: bg.send, integrity: emptyIntegrity(), id: 'r', later: now });
    for (let n = 0; n < 10_000; n++) queue.push(write(n));
    await queue.drain();
    expect(bg.recorded.map((e) => (e as { key: string }).key)).toEqual(
      Array.from({ length: 10_000 }, (_, n) => `k${n}`),
    );
  });

  it('resends a batch whose answer was lost (worker stop) and the background records it once', async () => {
    // Every third send is processed but its answer lost; every fifth is refused outright.
    const bg = background((a) => (a % 5 === 0 ? 'refused' : a % 3 === 0 ? 'lost-answer' : 'ok'));
    const queue = new RelayQueue({ send: bg.send, integrity: emptyIntegrity(), id: 'r', later: now });
    for (let n = 0; n < 3 * MAX_BATCH + 7; n++) queue.push(write(n));
    await queue.drain();
    expect(bg.recorded).toHaveLength(3 * MAX_BATCH + 7);
    expect(new Set(bg.recorded.map((e) => (e as { key: string }).key)).size).toBe(3 * MAX_BATCH + 7);
  });

  it('gives up after every retry, counts the events as lost, and says so in the next batch', async () => {
    let down = true;
    const bg = background(() => (down ? 'refused' : 'ok'));
    const integrity = emptyIntegrity();
    const queue = new RelayQueue({ send: bg.send, integrity, id: 'r', later: now });
    for (let n = 0; n < 3; n++) queue.push(write(n));
    await queue.drain();
    expect(integrity.lost).toBe(3);
    down = false;
    queue.push(write(9));
    await queue.drain();
    expect(bg.recorded).toEqual([write(9)]);
    expect(bg.integrity.lost).toBe(3);
  });

  it('counts each rejection once across batches', async () => {
    const bg = background(() => 'ok');
    const intake = new ChannelIntake();
    const queue = new RelayQueue({ send: bg.send, integrity: intake.integrity, id: 'r', later: now });
    intake.fromWindow({ x: 1 }, 1, URL);
    queue.push(write(1));
    await queue.drain();
    intake.fromWindow({ x: 2 }, 1, URL);
    await queue.drain();
    expect(bg.integrity.forged).toBe(2);
    expect(MAX_ATTEMPTS).toBeGreaterThan(1);
  });
});
