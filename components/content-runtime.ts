import { createSend } from '@/lib/messages';

/**
 * The browser's own extension API for content scripts, without webextension-polyfill: the relay and
 * the consent script run in every frame of an audited page at document_start, and the polyfill
 * (wired for `browser` in wxt.config.ts) is code each of them parsed on the page's load path. They
 * need only `runtime.sendMessage`, which returns a promise in both browsers under MV3, and
 * `runtime.onMessage`, answered here through `sendResponse` (a listener's returned promise is not
 * an answer in every Chromium).
 */
type Api = typeof browser;
const g = globalThis as unknown as { browser?: Api; chrome: Api };
const native: Api = g.browser?.runtime?.id ? g.browser : g.chrome;

/** `send` (components/send.ts) on the native API: typed by request, never a throw. */
export const contentSend = createSend((message) => native.runtime.sendMessage(message));

/**
 * Listens to the background's messages: `handle` returns a promise of the answer, or undefined to
 * leave the message to the frame's other listeners.
 */
export function onContentMessage(handle: (message: unknown) => Promise<unknown> | undefined): void {
  native.runtime.onMessage.addListener((message: unknown, _sender, sendResponse) => {
    const answer = handle(message);
    if (!answer) return undefined;
    answer.then(sendResponse, (error: unknown) => sendResponse({ ok: false, detail: String(error) }));
    return true;
  });
}
