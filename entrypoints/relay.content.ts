import { PAGE_CHANNEL, type BackgroundRequest, type PageEvent } from '@/lib/messages';

/** How long the relay gathers page events before sending one batch: no message per event. */
const BATCH_MS = 50;

/**
 * Isolated-world relay: the page-world hook cannot call extension APIs, so it posts to the window
 * and this script forwards batches to the background. Anything on the window can post here too,
 * which is why the background validates every field and marks these events untrusted.
 */
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  runAt: 'document_start',
  allFrames: true,
  main() {
    let batch: PageEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = () => {
      timer = undefined;
      const events = batch;
      batch = [];
      const message: BackgroundRequest = { type: 'page-events', events };
      browser.runtime.sendMessage(message).catch(() => {
        // The worker may be restarting; the next batch retries with fresh events.
      });
    };
    window.addEventListener('message', (event) => {
      if (event.source !== window) return;
      const data = event.data as Partial<PageEvent> & { channel?: unknown };
      if (!data || data.channel !== PAGE_CHANNEL || data.type !== 'cookie-write') return;
      if (typeof data.raw !== 'string' || typeof data.url !== 'string') return;
      batch.push({
        type: 'cookie-write',
        raw: data.raw.slice(0, 4096),
        time: typeof data.time === 'number' ? data.time : Date.now(),
        url: data.url,
        ...(typeof data.initiator === 'string' ? { initiator: data.initiator } : {}),
      });
      timer ??= setTimeout(send, BATCH_MS);
    });
    // A page leaving within the batch window must not take its last events with it.
    window.addEventListener('pagehide', () => {
      if (timer !== undefined) {
        clearTimeout(timer);
        send();
      }
    });
  },
});
