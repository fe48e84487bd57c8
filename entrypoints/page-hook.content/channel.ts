/**
 * The hook's end of the authenticated channel (protocol in lib/collectors/page-channel.ts): it
 * receives a MessagePort from the relay at document_start, before any page script runs, and posts
 * its events on that port only. Every native it needs is saved here first, so a page that later
 * replaces `MessagePort.prototype.postMessage` or `EventTarget.prototype.addEventListener` neither
 * sees nor stops our reports.
 */
import { HELLO_EVENT, PING, PONG, READY_EVENT } from '@/lib/collectors/page-channel';
import type { PageEvent } from '@/lib/messages';

/** Events made before the port arrives (none in practice: both scripts run before the page's). */
const MAX_EARLY = 1000;

export function openChannel(): (event: PageEvent) => void {
  const addEventListener = EventTarget.prototype.addEventListener;
  const removeEventListener = EventTarget.prototype.removeEventListener;
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  const preventDefault = Event.prototype.preventDefault;
  const stopImmediatePropagation = Event.prototype.stopImmediatePropagation;
  const portsOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'ports')?.get;
  const dataOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')?.get;
  const post = MessagePort.prototype.postMessage;
  const start = MessagePort.prototype.start;
  const NativeEvent = Event;
  let port: MessagePort | undefined;
  const early: PageEvent[] = [];

  const onHello = (event: Event) => {
    if (port) return;
    const ports = portsOf?.call(event) as readonly MessagePort[] | undefined;
    const offered = ports?.[0];
    if (!offered) return;
    port = offered;
    preventDefault.call(event); // tells the relay the port was taken
    stopImmediatePropagation.call(event);
    removeEventListener.call(window, HELLO_EVENT, onHello, true);
    addEventListener.call(port, 'message', (message: Event) => {
      if (dataOf?.call(message) === PING) post.call(port!, PONG);
    });
    start.call(port);
    for (const e of early.splice(0)) post.call(port, e);
  };
  addEventListener.call(window, HELLO_EVENT, onHello, true);
  dispatchEvent.call(window, new NativeEvent(READY_EVENT));

  return (event) => {
    try {
      if (port) post.call(port, event);
      else if (early.length < MAX_EARLY) early.push(event);
    } catch {
      // Reporting must never break the page.
    }
  };
}
