import { openChannel } from './channel';
import { installCookieHooks } from './cookie-hooks';
import { installFingerprintHooks } from './fingerprint-hooks';
import { makeInitiatorCapture } from './stack';
import { installStorageHooks } from './storage-hooks';
import { listenToTcf } from './tcf-listener';

/**
 * Runs in the page's own world at document_start, so it sees `document.cookie`, `cookieStore` and
 * web-storage writes as the page makes them (with the lifetime it *requested*) and can listen to
 * the page's IAB TCF API. It imports no extension API. It reports on a MessagePort the relay hands
 * over before any page script runs, so page scripts cannot post as the hook; but the page can still
 * hide its writes from the hook (natives from another realm), so what it reports is a witness, and
 * the isolated world's storage snapshots and the browser's cookie store are the ground truth.
 * Registered at runtime for audited sites only.
 */
export default defineContentScript({
  registration: 'runtime',
  world: 'MAIN',
  matches: [],
  runAt: 'document_start',
  allFrames: true,
  main() {
    // Natives first, before anything the page could change.
    const initiator = makeInitiatorCapture();
    const report = openChannel();
    installCookieHooks(report, initiator);
    installStorageHooks(report, initiator);
    installFingerprintHooks(report, initiator);
    listenToTcf(report);
  },
});
