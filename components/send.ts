import { createSend } from '@/lib/messages';

/**
 * How extension pages and content scripts ask the background: typed by request, answered with
 * `{ ok: true, value }` or a refusal, never a throw.
 */
export const send = createSend((message) => browser.runtime.sendMessage(message));
