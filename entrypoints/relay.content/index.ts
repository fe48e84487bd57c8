import { ChannelIntake, HELLO_EVENT, PING, PONG, READY_EVENT } from '@/lib/collectors/page-channel';
import { RelayQueue, type RelayBatch } from '@/lib/collectors/relay-queue';
import { entryId, missedWrites, type StorageReading, type WebArea } from '@/lib/collectors/storage-diff';
import { storageHashDigests } from '@/lib/collectors/storage-hashes';
import { PAGE_CHANNEL, type PageEvent, type RelayCommand } from '@/lib/messages';
import { contentSend as ask, onContentMessage } from '@/components/content-runtime';
import { readDatabases, readStorage } from './snapshots';
import { watchTimings } from './timings';

/** How long the relay gathers page events before sending: no message per event. */
const BATCH_MS = 50;
/** Storage readings between decisions: a write the hook missed shows within this time. */
const SNAPSHOT_MS = 2_000;

/**
 * Isolated-world relay. The page-world hook cannot call extension APIs: it posts on a MessagePort
 * this script handed it at document_start (lib/collectors/page-channel.ts), and this script
 * forwards numbered batches to the background, retrying until each is acknowledged. Messages on
 * window that carry our channel tag are forgeries: counted, a few kept as evidence, never taken for
 * the hook's. It also reads the frame's storage at intervals and reports writes the hook missed.
 */
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  runAt: 'document_start',
  allFrames: true,
  // No `wxt:content-script-started` window message: every message listener of the page (platforms,
  // TCF locators) would handle it in every frame, and it would tell the page an extension is here.
  noScriptStartedPostMessage: true,
  main() {
    // Started late in a frame of an audited tab (frame-scripts.ts): what is stored already is news.
    const g = globalThis as { consentAuditorRelay?: boolean; consentAuditorLate?: boolean };
    if (g.consentAuditorRelay) return;
    g.consentAuditorRelay = true;
    const late = g.consentAuditorLate === true;
    const intake = new ChannelIntake();
    const id = crypto.randomUUID();
    const send = async (batch: RelayBatch): Promise<boolean> => {
      // Never throws: no answer (a worker stop) or a refusal means "resend".
      const answer = await ask({ type: 'page-events', ...batch });
      return answer.ok;
    };
    const queue = new RelayQueue({ send, integrity: intake.integrity, id });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        void queue.drain();
      }, BATCH_MS);
    };

    // What the hook reported, by arrival order: a snapshot change it explains is not a missed write.
    let arrivals = 0;
    const lastArrival = new Map<string, number>();
    const note = (event: PageEvent) => {
      if (event.type !== 'storage') return;
      const key = event.action === 'clear' ? `${event.area}\u0000*` : `${event.area}\u0000${event.key}`;
      lastArrival.set(key, ++arrivals);
    };

    const channel = new MessageChannel();
    const port = channel.port1;
    let pongs: Array<() => void> = [];
    port.onmessage = (message) => {
      if (message.data === PONG) {
        const waiting = pongs;
        pongs = [];
        for (const resume of waiting) resume();
        return;
      }
      const event = intake.fromPort(message.data, Date.now(), location.href);
      if (!event) return soon();
      note(event);
      queue.push(withHashes(event));
      soon();
    };
    let connected = false;
    const offer = () => {
      if (connected) return;
      connected = !window.dispatchEvent(new MessageEvent(HELLO_EVENT, { ports: [channel.port2], cancelable: true }));
      if (connected) window.removeEventListener(READY_EVENT, onReady, true);
    };
    const onReady = (event: Event) => {
      event.stopImmediatePropagation();
      offer();
    };
    window.addEventListener(READY_EVENT, onReady, true);
    offer();

    window.addEventListener('message', (event) => {
      const data = event.data as { channel?: unknown } | string | null;
      const tagged =
        (typeof data === 'string' && data.includes(PAGE_CHANNEL)) ||
        (!!data && typeof data === 'object' && data.channel === PAGE_CHANNEL);
      if (!tagged) return;
      const sample = intake.fromWindow(data, Date.now(), location.href);
      if (sample) queue.push(sample);
      soon();
    });

    // Storage readings: the first before any page script, so every later change is this page's.
    let previous: StorageReading = late ? { entries: new Map(), databases: new Set() } : readStorage();
    let mark = 0;
    void readDatabases().then((d) => {
      if (d && !late) previous.databases = d;
    });
    const barrier = () =>
      connected
        ? new Promise<void>((resolve) => {
            pongs.push(resolve);
            port.postMessage(PING);
            setTimeout(resolve, 1_000); // a hook that stopped answering must not stop the readings
          })
        : Promise.resolve();
    const compare = (reading: StorageReading, since: number) => {
      const seen = (area: WebArea | 'indexedDB', key: string) =>
        (lastArrival.get(`${area}\u0000${key}`) ?? 0) > since || (lastArrival.get(`${area}\u0000*`) ?? 0) > since;
      const url = location.href;
      for (const w of missedWrites(previous, reading, seen)) {
        const value = w.valueDigests ? reading.values?.get(entryId(w.area, w.key)) : undefined;
        const hashes = storageHashDigests(value, w.valueDigests);
        queue.push({ type: 'storage', ...w, ...hashes, time: Date.now(), url, seenBy: 'snapshot' });
      }
      if (!reading.databases) reading.databases = previous.databases;
      delete reading.values; // only the newer reading's values are digested
      previous = reading;
    };
    let reading = false;
    const snapshot = async () => {
      if (reading) return;
      reading = true;
      try {
        const since = mark;
        mark = arrivals;
        const next = readStorage();
        next.databases = await readDatabases();
        await barrier(); // every hook report of a write made before this reading has arrived
        compare(next, since);
        soon();
      } finally {
        reading = false;
      }
    };
    // The browser's own record of the frame's requests: what webRequest missed is recovered from it.
    const timings = watchTimings(async (entries) => (await ask({ type: 'resource-timings', entries })).ok);

    // Same-origin frames (about:blank, srcdoc, blob:, same-site pages) share their ancestor's storage:
    // the top-most frame of the origin reads it, so one write is reported once.
    if (ownsStorage()) setInterval(() => void snapshot(), SNAPSHOT_MS);
    onContentMessage((message: unknown): Promise<boolean> | undefined => {
      const m = message as { type?: unknown; action?: unknown } | null;
      // Before a report: a reading, and what it found sent, before the answer.
      if ((m as RelayCommand | null)?.type === 'relay-snapshot')
        return Promise.all([
          (ownsStorage() ? snapshot() : Promise.resolve()).then(() => queue.drain()),
          timings.flush(),
        ]).then(() => true);
      // After a decision: the consent script answers this command; the relay only takes a reading too.
      if (m?.type === 'consent-command' && m.action === 'snapshot' && ownsStorage()) void snapshot();
      return undefined;
    });

    // A page leaving must not take its last events with it: one last reading, everything sent now.
    window.addEventListener('pagehide', () => {
      if (ownsStorage()) compare(readStorage(), mark);
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      for (const batch of queue.flushAll()) void send(batch).catch(() => undefined);
      timings.leave();
    });
  },
});

/**
 * A hooked storage write that may be an identifier, with the hash digests of the value this world
 * reads back (lib/collectors/storage-hashes.ts); every other event as it came.
 */
function withHashes(event: PageEvent): PageEvent {
  if (event.type !== 'storage' || event.action !== 'set' || !event.valueDigests?.length) return event;
  if (event.area !== 'localStorage' && event.area !== 'sessionStorage') return event;
  try {
    return { ...event, ...storageHashDigests(window[event.area].getItem(event.key), event.valueDigests) };
  } catch {
    return event; // storage disabled in this frame
  }
}

/**
 * True unless the parent frame has the same origin (and so the same storage, read there). Reading
 * the parent's location throws exactly when it is cross-origin; the frame's own `location.origin`
 * cannot be compared, since Chromium gives "null" for about:blank in the isolated world.
 */
function ownsStorage(): boolean {
  if (window.parent === window) return true;
  try {
    return typeof window.parent.location.origin !== 'string';
  } catch {
    return true; // a cross-origin parent: this frame's storage is its own
  }
}
