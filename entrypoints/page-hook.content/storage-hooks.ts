/**
 * Page-world hooks on web storage: every Storage method, property assignment, `defineProperty` and
 * `delete` on `localStorage`/`sessionStorage` (caught by serving each area through a Proxy), and
 * IndexedDB opens. Only keys and value lengths are reported, never values.
 *
 * An auditor must not change what it audits, so every valid call behaves as without the extension:
 * the hooked prototype methods unwrap our Proxy before calling the native (a native called on the
 * Proxy throws "Illegal invocation"), nothing is bound (`localStorage.setItem ===
 * Storage.prototype.setItem` stays true), names and arities are the natives', a write is reported
 * only once it succeeded, and `StorageEvent.storageArea` still equals `localStorage`.
 * Writes made with natives from another realm (an iframe's `Storage.prototype.setItem`) do not pass
 * here: the isolated world's storage snapshots catch those.
 */
import { storageValueDigests } from '@/lib/collectors/storage-diff';
import type { PageEvent } from '@/lib/messages';
import type { CaptureInitiator } from './stack';

type Report = (event: PageEvent) => void;
type Area = 'localStorage' | 'sessionStorage';
type Action = 'set' | 'remove' | 'clear';

/** Digests of a short stored value (the snapshots of the isolated world use the same function). */
const digestsOf = storageValueDigests;

export function installStorageHooks(report: Report, initiator: CaptureInitiator): void {
  const storageProto = globalThis.Storage?.prototype;
  if (!storageProto) return;
  /** Proxy → native area, and native → Proxy (for storageArea). */
  const toReal = new WeakMap<object, Storage>();
  const toProxy = new WeakMap<object, Storage>();
  const areas = new Map<Storage, Area>();
  const unwrap = (s: unknown) => (s && typeof s === 'object' ? (toReal.get(s) ?? s) : s) as Storage;
  const getItem = storageProto.getItem;
  /**
   * Reports a write that succeeded. The key and value are read back from the native storage, never
   * converted again: a page object's toString must run exactly as often as without the extension.
   */
  const emit = (area: Area | undefined, action: Action, rawKey: unknown, real?: Storage) => {
    if (!area) return;
    try {
      const key = typeof rawKey === 'string' || typeof rawKey === 'number' ? String(rawKey) : undefined;
      if (key === undefined && action !== 'clear') return; // the snapshots see it
      const value = action === 'set' && real ? (getItem.call(real, key!) as string | null) : null;
      if (action === 'set' && value === null) return; // nothing was stored under that key
      report({
        type: 'storage',
        area,
        action,
        key: key ?? '*',
        ...(value !== null ? { valueLength: value.length } : {}),
        ...(value !== null ? digestsOf(value) : {}),
        time: Date.now(),
        url: location.href,
        ...initiator(),
      });
    } catch {
      // Reporting must never break the page.
    }
  };

  for (const area of ['localStorage', 'sessionStorage'] as const) {
    const real = proxyArea(area, toReal, toProxy, emit);
    if (real) areas.set(real, area);
  }

  const wrap = (name: string, after?: (real: Storage, args: unknown[]) => void) => {
    const descriptor = Object.getOwnPropertyDescriptor(storageProto, name);
    const native = descriptor?.value as ((...a: unknown[]) => unknown) | undefined;
    if (typeof native !== 'function') return;
    const hooked = {
      // A method definition has no [[Construct]] and no prototype, like the native.
      [name](this: unknown, ...args: unknown[]) {
        const real = unwrap(this);
        const result = native.apply(real, args);
        after?.(real, args);
        return result;
      },
    }[name]!;
    Object.defineProperty(hooked, 'length', { value: native.length });
    Object.defineProperty(storageProto, name, { ...descriptor, value: hooked });
  };
  const areaOf = (real: Storage) => areas.get(real);
  wrap('setItem', (real, [key]) => emit(areaOf(real), 'set', key, real));
  wrap('removeItem', (real, [key]) => emit(areaOf(real), 'remove', key));
  wrap('clear', (real) => emit(areaOf(real), 'clear', '*'));
  wrap('getItem');
  wrap('key');
  const length = Object.getOwnPropertyDescriptor(storageProto, 'length');
  if (length?.get) {
    const nativeGet = length.get;
    const get = {
      get length() {
        return nativeGet.call(unwrap(this)) as number;
      },
    };
    Object.defineProperty(storageProto, 'length', {
      ...length,
      get: Object.getOwnPropertyDescriptor(get, 'length')!.get,
    });
  }
  // `event.storageArea === localStorage` must hold as without the extension.
  const eventProto = globalThis.StorageEvent?.prototype;
  const storageArea = eventProto && Object.getOwnPropertyDescriptor(eventProto, 'storageArea');
  if (storageArea?.get) {
    const nativeGet = storageArea.get;
    const get = {
      get storageArea() {
        const real = nativeGet.call(this) as Storage | null;
        return (real && toProxy.get(real)) ?? real;
      },
    };
    Object.defineProperty(eventProto, 'storageArea', {
      ...storageArea,
      get: Object.getOwnPropertyDescriptor(get, 'storageArea')!.get,
    });
  }
  hookIndexedDb(report, initiator);
}

/**
 * Serves `window[area]` through a Proxy whose traps see property assignments, `defineProperty` and
 * `delete`. Each trap does exactly what the native object does, then reports what succeeded.
 */
function proxyArea(
  area: Area,
  toReal: WeakMap<object, Storage>,
  toProxy: WeakMap<object, Storage>,
  emit: (area: Area, action: Action, key: unknown, real?: Storage) => void,
): Storage | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, area);
  if (!descriptor?.get) return undefined;
  let real: Storage;
  try {
    real = descriptor.get.call(globalThis) as Storage;
  } catch {
    return undefined; // storage disabled for this frame: the page gets the same error from the native getter
  }
  if (!real) return undefined;
  const getItem = Storage.prototype.getItem; // read before the prototype is hooked
  const proxy = new Proxy(real, {
    // No binding: methods come from the prototype and unwrap `this` themselves.
    get: (target, property) => Reflect.get(target, property, target) as unknown,
    set(target, property, value) {
      const done = Reflect.set(target, property, value, target);
      if (done && typeof property === 'string') emit(area, 'set', property, target);
      return done;
    },
    defineProperty(target, property, attributes) {
      const done = Reflect.defineProperty(target, property, attributes);
      if (done && typeof property === 'string' && 'value' in attributes) emit(area, 'set', property, target);
      return done;
    },
    deleteProperty(target, property) {
      const had = typeof property === 'string' && getItem.call(target, property) !== null;
      const done = Reflect.deleteProperty(target, property);
      if (done && had) emit(area, 'remove', property as string);
      return done;
    },
  });
  toReal.set(proxy, real);
  toProxy.set(real, proxy);
  const get = descriptor.get;
  Object.defineProperty(globalThis, area, {
    ...descriptor,
    // Keeps the native getter's own checks (it throws where storage is denied).
    get: Object.getOwnPropertyDescriptor(
      {
        get [area]() {
          const current = get.call(this) as Storage;
          return current === real ? proxy : current;
        },
      },
      area,
    )!.get,
  });
  return real;
}

function hookIndexedDb(report: Report, initiator: CaptureInitiator): void {
  const factory = globalThis.IDBFactory?.prototype;
  const descriptor = factory && Object.getOwnPropertyDescriptor(factory, 'open');
  const open = descriptor?.value as ((...a: unknown[]) => IDBOpenDBRequest) | undefined;
  if (typeof open !== 'function') return;
  const hooked = {
    open(this: unknown, ...args: unknown[]) {
      const request = open.apply(this, args);
      try {
        report({
          type: 'storage',
          area: 'indexedDB',
          action: 'open',
          key: String(args[0]),
          time: Date.now(),
          url: location.href,
          ...initiator(),
        });
      } catch {
        // Reporting must never break the page.
      }
      return request;
    },
  }.open;
  Object.defineProperty(hooked, 'length', { value: open.length });
  Object.defineProperty(factory, 'open', { ...descriptor, value: hooked });
}
