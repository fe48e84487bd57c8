import { initiatorFromStack } from '@/lib/collectors/stack-initiator';
import { PAGE_CHANNEL } from '@/lib/messages';

/**
 * Runs in the page's own world at document_start, so it sees `document.cookie` writes with the
 * lifetime the page *requested* (the cookies API only shows the capped one). It imports no
 * extension API: the page can read, replace or forge anything here, so the background treats
 * what it reports as untrusted evidence. Registered at runtime for audited sites only.
 */
export default defineContentScript({
  registration: 'runtime',
  world: 'MAIN',
  matches: [],
  runAt: 'document_start',
  allFrames: true,
  main() {
    const descriptor = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
    if (!descriptor?.set || !descriptor.get) return;
    const { get, set } = descriptor;
    const post = window.postMessage.bind(window);
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: descriptor.enumerable ?? true,
      get() {
        return get.call(this);
      },
      set(value: unknown) {
        set.call(this, value);
        try {
          const initiator = initiatorFromStack(new Error().stack);
          post(
            { channel: PAGE_CHANNEL, type: 'cookie-write', raw: String(value), time: Date.now(), url: location.href, initiator },
            location.origin === 'null' ? '*' : location.origin,
          );
        } catch {
          // Reporting must never break the page's own cookie write.
        }
      },
    });
  },
});
