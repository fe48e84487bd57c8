import { installCookieHooks } from './cookie-hooks';
import { installStorageHooks } from './storage-hooks';
import { listenToTcf } from './tcf-listener';
import { PAGE_CHANNEL, type PageEvent } from '@/lib/messages';

/**
 * Runs in the page's own world at document_start, so it sees `document.cookie`, `cookieStore` and
 * web-storage writes as the page makes them (with the lifetime it *requested*) and can listen to
 * the page's IAB TCF API. It imports no extension API: the page can read, replace or forge anything
 * here, so the background treats what it reports as untrusted evidence. Registered at runtime for
 * audited sites only.
 */
export default defineContentScript({
  registration: 'runtime',
  world: 'MAIN',
  matches: [],
  runAt: 'document_start',
  allFrames: true,
  main() {
    const post = window.postMessage.bind(window);
    const target = location.origin === 'null' ? '*' : location.origin;
    const report = (event: PageEvent) => {
      try {
        post({ channel: PAGE_CHANNEL, ...event }, target);
      } catch {
        // Reporting must never break the page.
      }
    };
    installCookieHooks(report);
    installStorageHooks(report);
    listenToTcf(report);
  },
});
