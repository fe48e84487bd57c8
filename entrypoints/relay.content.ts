import { sanitizePageEvent } from '@/lib/collectors/page-event';
import { PAGE_CHANNEL, type PageEvent } from '@/lib/messages';
import { send as ask } from '@/components/send';

/** How long the relay gathers page events before sending one batch: no message per event. */
const BATCH_MS = 50;
/** A page flooding the channel cannot flood the background: the rest of a burst is counted, not sent. */
const MAX_BATCH = 500;

/**
 * Isolated-world relay: the page-world hook cannot call extension APIs, so it posts to the window
 * and this script forwards batches to the background. Anything on the window can post here too,
 * which is why every field is validated and the background marks these events untrusted.
 */
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  runAt: 'document_start',
  allFrames: true,
  main() {
    let batch: PageEvent[] = [];
    let dropped = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = () => {
      timer = undefined;
      if (dropped)
        batch.push({
          type: 'forged',
          detail: `${dropped} more page events dropped (flood)`,
          time: Date.now(),
          url: location.href,
        });
      const events = batch;
      batch = [];
      dropped = 0;
      // Never throws: the worker may be restarting, and losing one batch of untrusted page reports is acceptable.
      void ask({ type: 'page-events', events });
    };
    window.addEventListener('message', (event) => {
      if (event.source !== window) return;
      const data = event.data as { channel?: unknown } | null;
      if (!data || typeof data !== 'object' || data.channel !== PAGE_CHANNEL) return;
      const sanitized = sanitizePageEvent(data, Date.now(), location.href);
      if (!sanitized) return;
      if (batch.length >= MAX_BATCH) dropped++;
      else batch.push(sanitized);
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
