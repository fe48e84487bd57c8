/**
 * Talks to the extension's background from one of its own pages (chrome-extension:// or moz-extension://),
 * in Chromium (Playwright page) and Firefox (puppeteer page) alike. Message shapes live in lib/messages.ts:
 * every request is typed, and every answer is `{ ok: true, value }` or a refusal. These helpers carry
 * messages and never interpret them, except `status` (readiness).
 */
import type { Answer, BackgroundRequest, Refusal, RequestType, Response } from '../../lib/messages.ts';

/** The part of a Playwright or puppeteer Page these helpers use (their generic signatures differ). */
export interface EvaluatingPage {
  evaluate(fn: (arg: any) => unknown, arg: any): Promise<any>;
}

/** Sends one runtime message from the extension page and returns the background's answer. */
export async function sendRuntimeMessage<R extends BackgroundRequest>(
  page: EvaluatingPage,
  message: R,
): Promise<Answer<R['type']>> {
  return page.evaluate(async (msg: unknown) => {
    const api = (globalThis as any).browser ?? (globalThis as any).chrome;
    return api.runtime.sendMessage(msg);
  }, message) as Promise<Answer<R['type']>>;
}

/** A refusal from the background, thrown by {@link ask}. */
export class RefusedError extends Error {
  constructor(readonly refusal: Refusal['refusal']) {
    super(`${refusal.code}: ${refusal.message}`);
  }
}

/** The answer's value; throws a {@link RefusedError} on a refusal, and an Error when the answer is no answer. */
export function valueOf<K extends RequestType>(answer: Answer<K> | null | undefined): Response<K> {
  if (!answer || typeof answer !== 'object') throw new Error('no answer from the extension');
  if (!answer.ok) throw new RefusedError(answer.refusal);
  return answer.value;
}

/**
 * Like {@link sendRuntimeMessage}, but the answer crosses back as a JSON string: WebDriver BiDi
 * (Firefox) serialises repeated references to one object as handles, JSON keeps plain data.
 */
export async function sendJsonMessage<R extends BackgroundRequest>(
  page: EvaluatingPage,
  message: R,
): Promise<Answer<R['type']> | null> {
  const text = (await page.evaluate(async (msg: unknown) => {
    const api = (globalThis as any).browser ?? (globalThis as any).chrome;
    return JSON.stringify((await api.runtime.sendMessage(msg)) ?? null);
  }, message)) as string;
  return JSON.parse(text) as Answer<R['type']> | null;
}

/** {@link sendJsonMessage}'s value; throws on a refusal or no answer (see {@link valueOf}). */
export async function ask<R extends BackgroundRequest>(page: EvaluatingPage, message: R): Promise<Response<R['type']>> {
  return valueOf(await sendJsonMessage(page, message));
}

/**
 * Polls `{ type: 'status' }` until the background answers `{ ready: true, ... }` (its listeners and
 * content scripts are registered), and returns that status. Throws after `timeoutMs` with the last answer.
 */
export async function waitForExtensionReady(page: EvaluatingPage, timeoutMs = 15_000): Promise<Response<'status'>> {
  const deadline = Date.now() + timeoutMs;
  let last: string = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const status = await sendRuntimeMessage(page, { type: 'status' });
      if (status?.ok && status.value.ready === true) return status.value;
      last = `answer ${JSON.stringify(status)}`;
    } catch (err) {
      last = `error ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `extension not ready after ${timeoutMs} ms ({type:'status'} never answered ready:true; last: ${last})`,
  );
}

/**
 * Finds the tab whose URL starts with `tabUrlPrefix` and asks the background for its report
 * (`{ type: 'get-report', tabId }`), answered or refused. Throws if no such tab is open.
 */
export async function getReport(page: EvaluatingPage, tabUrlPrefix: string): Promise<Answer<'get-report'>> {
  return page
    .evaluate(async (prefix: string) => {
      const api = (globalThis as any).browser ?? (globalThis as any).chrome;
      const tabs: Array<{ id?: number; url?: string }> = await api.tabs.query({});
      const tab = tabs.find((t) => typeof t.url === 'string' && t.url.startsWith(prefix));
      if (!tab || tab.id === undefined) {
        throw new Error(`no tab starts with ${prefix}; open tabs: ${tabs.map((t) => t.url).join(', ')}`);
      }
      // As a string: WebDriver BiDi serialises repeated references as handles, JSON keeps plain data.
      return JSON.stringify(await api.runtime.sendMessage({ type: 'get-report', tabId: tab.id }));
    }, tabUrlPrefix)
    .then((text: string) => JSON.parse(text) as Answer<'get-report'>);
}

/** Id of the first tab whose URL starts with `prefix`, as the extension sees it. */
export async function tabIdOf(page: EvaluatingPage, prefix: string): Promise<number> {
  return page.evaluate(async (p: string) => {
    const api = (globalThis as any).browser ?? (globalThis as any).chrome;
    const tabs: Array<{ id?: number; url?: string }> = await api.tabs.query({});
    const tab = tabs.find((t) => typeof t.url === 'string' && t.url.startsWith(p));
    if (!tab || tab.id === undefined) throw new Error(`no tab starts with ${p}`);
    return tab.id;
  }, prefix) as Promise<number>;
}
