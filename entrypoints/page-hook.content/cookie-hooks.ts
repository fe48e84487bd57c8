/**
 * Page-world hooks on cookie writes: `document.cookie` assignments and the Cookie Store API. Runs
 * inside the audited page and never touches an extension API.
 */
import type { PageEvent } from '@/lib/messages';
import type { CaptureInitiator } from './stack';

type Report = (event: PageEvent) => void;

export function installCookieHooks(report: Report, initiator: CaptureInitiator): void {
  const d = globalThis.Document?.prototype;
  const descriptor = d && Object.getOwnPropertyDescriptor(d, 'cookie');
  if (descriptor?.set && descriptor.get) {
    const { get, set } = descriptor;
    Object.defineProperty(d, 'cookie', {
      configurable: true,
      enumerable: descriptor.enumerable ?? true,
      get() {
        return get.call(this);
      },
      set(value: unknown) {
        set.call(this, value);
        report({
          type: 'cookie-write',
          via: 'document.cookie',
          raw: String(value),
          time: Date.now(),
          url: location.href,
          ...initiator(),
        });
      },
    });
  }
  hookCookieStore(report, initiator);
}

interface CookieInit {
  name: string;
  value?: string;
  expires?: number | null;
  domain?: string | null;
  path?: string;
  sameSite?: string;
}

/** cookieStore.set(name, value) / set({...}) / delete(name): reported as equivalent cookie strings. */
function hookCookieStore(report: Report, initiator: CaptureInitiator): void {
  const store = (
    globalThis as {
      cookieStore?: { set: (...a: unknown[]) => Promise<void>; delete: (...a: unknown[]) => Promise<void> };
    }
  ).cookieStore;
  const proto = store && Object.getPrototypeOf(store);
  if (!proto?.set || !proto.delete) return;
  const { set, delete: remove } = proto as {
    set: (...a: unknown[]) => Promise<void>;
    delete: (...a: unknown[]) => Promise<void>;
  };
  const send = (raw: string) =>
    report({
      type: 'cookie-write',
      via: 'cookieStore',
      raw,
      time: Date.now(),
      url: location.href,
      ...initiator(),
    });
  proto.set = function (this: unknown, ...args: unknown[]) {
    const init: CookieInit =
      typeof args[0] === 'object' && args[0]
        ? (args[0] as CookieInit)
        : { name: String(args[0]), value: String(args[1] ?? '') };
    const parts = [`${init.name}=${init.value ?? ''}`];
    if (init.expires) parts.push(`expires=${new Date(init.expires).toUTCString()}`);
    if (init.domain) parts.push(`domain=${init.domain}`);
    parts.push(`path=${init.path ?? '/'}`);
    send(parts.join('; '));
    return set.apply(this, args);
  };
  proto.delete = function (this: unknown, ...args: unknown[]) {
    const name = typeof args[0] === 'object' && args[0] ? (args[0] as { name: string }).name : String(args[0]);
    send(`${name}=; max-age=0`);
    return remove.apply(this, args);
  };
}
