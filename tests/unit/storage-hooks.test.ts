import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installStorageHooks } from '../../entrypoints/page-hook.content/storage-hooks';
import { makeInitiatorCapture } from '../../entrypoints/page-hook.content/stack';
import type { PageEvent } from '../../lib/messages';

/**
 * A Storage like the browser's: methods that throw "Illegal invocation" unless `this` is a real
 * storage object (the brand check that made `Storage.prototype.setItem.call(localStorage, …)` throw
 * when localStorage was our Proxy), and a named-property setter.
 */
function installFakeStorage() {
  const brand = new WeakMap<object, Map<string, string>>();
  const data = (s: unknown) => {
    const d = typeof s === 'object' && s ? brand.get(s) : undefined;
    if (!d) throw new TypeError('Illegal invocation');
    return d;
  };
  class Storage {
    constructor() {
      const map = new Map<string, string>();
      brand.set(this, map);
      const branded = new Proxy(this, {
        set: (t, p, v) => (typeof p === 'string' ? (data(t).set(p, String(v)), true) : Reflect.set(t, p, v)),
        get: (t, p) => (typeof p === 'string' && !(p in t) ? (data(t).get(p) ?? undefined) : Reflect.get(t, p, t)),
        defineProperty: (t, p, d) => (typeof p === 'string' ? (data(t).set(p, String(d.value)), true) : false),
        deleteProperty: (t, p) => (typeof p === 'string' ? (data(t).delete(p), true) : false),
      });
      brand.set(branded, map);
      return branded;
    }
    setItem(key: string, value: string) {
      data(this).set(String(key), String(value));
    }
    getItem(key: string) {
      return data(this).get(String(key)) ?? null;
    }
    removeItem(key: string) {
      data(this).delete(String(key));
    }
    clear() {
      data(this).clear();
    }
    key(i: number) {
      return [...data(this).keys()][i] ?? null;
    }
    get length() {
      return data(this).size;
    }
  }
  const local = new Storage();
  const g = globalThis as Record<string, unknown>;
  g.Storage = Storage;
  Object.defineProperty(globalThis, 'localStorage', { configurable: true, enumerable: true, get: () => local });
  g.location = { href: 'https://www.o2toit.com/page' };
  return { Storage };
}

describe('storage hooks', () => {
  let events: PageEvent[];
  beforeEach(() => {
    events = [];
  });
  afterEach(() => {
    const g = globalThis as Record<string, unknown>;
    delete g.Storage;
    delete g.localStorage;
    delete g.location;
  });

  it('keep every valid call working exactly as without the extension, and report each write once', () => {
    const { Storage } = installFakeStorage();
    installStorageHooks((e) => events.push(e), makeInitiatorCapture());
    const ls = (globalThis as unknown as { localStorage: Storage }).localStorage;
    const proto = Storage.prototype as unknown as globalThis.Storage;
    expect(() => proto.setItem.call(ls, 'a', '123')).not.toThrow();
    expect(proto.getItem.call(ls, 'a')).toBe('123');
    expect(Reflect.apply(proto.key, ls, [0])).toBe('a');
    expect(Object.getOwnPropertyDescriptor(Storage.prototype, 'length')!.get!.call(ls)).toBe(1);
    expect(ls.setItem).toBe(proto.setItem); // nothing bound
    expect(proto.setItem.name).toBe('setItem');
    expect(proto.setItem.length).toBe(2);
    (ls as unknown as Record<string, string>).b = 'xy';
    Object.defineProperty(ls, 'c', { value: 'four', configurable: true, writable: true, enumerable: true });
    delete (ls as unknown as Record<string, string>).b;
    let conversions = 0;
    ls.setItem('d', {
      toString() {
        conversions++;
        return 'obj';
      },
    } as unknown as string);
    expect(conversions).toBe(1); // the page's toString runs as often as without the hook
    ls.removeItem('a');
    ls.clear();
    expect(ls.length).toBe(0);
    expect(events.map((e) => e.type === 'storage' && `${e.action} ${e.key} ${e.valueLength ?? ''}`)).toEqual([
      'set a 3',
      'set b 2',
      'set c 4',
      'remove b ',
      'set d 3',
      'remove a ',
      'clear * ',
    ]);
  });

  it('do not report a write that failed, and let its error reach the page', () => {
    const { Storage } = installFakeStorage();
    const original = Storage.prototype.setItem;
    Storage.prototype.setItem = function () {
      throw new DOMException('full', 'QuotaExceededError');
    };
    installStorageHooks((e) => events.push(e), makeInitiatorCapture());
    expect(() => (globalThis as unknown as { localStorage: Storage }).localStorage.setItem('k', 'v')).toThrow('full');
    expect(events).toEqual([]);
    Storage.prototype.setItem = original;
  });
});

describe('initiator capture', () => {
  it('ignores a page-set Error.prepareStackTrace and stackTraceLimit', () => {
    const capture = makeInitiatorCapture();
    const E = Error as ErrorConstructor & { prepareStackTrace?: unknown; stackTraceLimit: number };
    const limit = E.stackTraceLimit;
    E.prepareStackTrace = () => 'at fake (https://www.facebook.com/forged.js:1:1)';
    E.stackTraceLimit = 0;
    try {
      const result = capture();
      expect(result.initiator ?? '').not.toContain('forged.js');
      expect(result.initiatorShaped).toBeUndefined();
      // The page's own values are back in place afterwards.
      expect((E.prepareStackTrace as () => string)()).toContain('forged.js');
      expect(E.stackTraceLimit).toBe(0);
    } finally {
      Reflect.deleteProperty(E, 'prepareStackTrace');
      E.stackTraceLimit = limit;
    }
  });

  it('marks the initiator as shaped when the page made prepareStackTrace impossible to reset', () => {
    const capture = makeInitiatorCapture();
    const E = Error as ErrorConstructor & { prepareStackTrace?: unknown };
    const sandbox = Object.getOwnPropertyDescriptor(E, 'prepareStackTrace');
    Object.defineProperty(E, 'prepareStackTrace', { value: () => 'x', configurable: false, writable: false });
    expect(capture().initiatorShaped).toBe(true);
    expect(sandbox).toBeUndefined();
  });
});
