/**
 * The few host globals `lib/` may use, declared by hand for `tsconfig.lib.json` (ES2022, no DOM, no
 * Node, no extension types). They exist alike in a service worker, a content script, a page and
 * Node 20, so the engine stays runnable everywhere; anything not listed here (`document`, `fetch`,
 * `navigator`, `chrome`, `browser`) is a type error in `lib/`. The main tsconfig excludes this file:
 * there the DOM and Node declarations already describe these names.
 */

interface URLSearchParams {
  get(name: string): string | null;
}

interface URL {
  readonly hostname: string;
  readonly pathname: string;
  readonly origin: string;
  readonly protocol: string;
  readonly href: string;
  readonly searchParams: URLSearchParams;
}

declare const URL: {
  new (url: string, base?: string): URL;
  canParse(url: string, base?: string): boolean;
};

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

/** Request bodies are decoded as UTF-8 text (lib/collectors/request-body.ts). */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}

/** Web Crypto: hashing policies and fresh audit ids. `var`, as lib reads it as `globalThis.crypto`. */
// eslint-disable-next-line no-var
declare var crypto: {
  readonly subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> };
  randomUUID(): string;
};

/** Timers: the audit store's debounced flush. The handle is opaque. */
type TimerHandle = { readonly __timer: unique symbol } | number;
declare function setTimeout(callback: () => void, ms?: number): TimerHandle;
declare function clearTimeout(handle: TimerHandle | undefined): void;
