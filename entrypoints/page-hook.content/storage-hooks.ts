/**
 * Page-world hooks on web storage: setItem/removeItem/clear, property assignment
 * (`localStorage.foo = 'x'`, caught by serving each area through a Proxy) and IndexedDB opens.
 * Only keys and value lengths are reported, never values.
 */
import type { PageEvent } from '@/lib/messages';
import { initiatorFromStack } from '@/lib/collectors/stack-initiator';

type Report = (event: PageEvent) => void;
type Area = 'localStorage' | 'sessionStorage';

export function installStorageHooks(report: Report): void {
  const storageProto = globalThis.Storage?.prototype;
  if (!storageProto) return;
  const areaOf = (s: Storage): Area | undefined => {
    try {
      if (s === originalArea('localStorage')) return 'localStorage';
      if (s === originalArea('sessionStorage')) return 'sessionStorage';
    } catch {
      // Storage access can throw in sandboxed frames.
    }
    return undefined;
  };
  const emit = (area: Area | undefined, action: 'set' | 'remove' | 'clear', key: string, value?: string) => {
    if (!area) return;
    report({
      type: 'storage',
      area,
      action,
      key,
      ...(value !== undefined ? { valueLength: value.length } : {}),
      time: Date.now(),
      url: location.href,
      initiator: initiatorFromStack(new Error().stack),
    });
  };
  const { setItem, removeItem, clear } = storageProto;
  storageProto.setItem = function (this: Storage, key: string, value: string) {
    emit(areaOf(this), 'set', String(key), String(value));
    return setItem.call(this, key, value);
  };
  storageProto.removeItem = function (this: Storage, key: string) {
    emit(areaOf(this), 'remove', String(key));
    return removeItem.call(this, key);
  };
  storageProto.clear = function (this: Storage) {
    emit(areaOf(this), 'clear', '*');
    return clear.call(this);
  };
  for (const area of ['localStorage', 'sessionStorage'] as const)
    proxyArea(area, (key, value) => emit(area, 'set', key, value));
  hookIndexedDb(report);
}

const originals: Partial<Record<Area, Storage>> = {};

function originalArea(area: Area): Storage | undefined {
  return originals[area];
}

/** Serves `window[area]` through a Proxy whose `set` trap sees property assignments. */
function proxyArea(area: Area, onAssign: (key: string, value: string) => void): void {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, area);
  if (!descriptor?.get) return;
  let real: Storage;
  try {
    real = descriptor.get.call(globalThis) as Storage;
  } catch {
    return; // storage disabled for this frame
  }
  originals[area] = real;
  const proxy = new Proxy(real, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, property, value) {
      if (typeof property === 'string') {
        onAssign(property, String(value));
        // Reported above; Storage's own named setter stores it without calling our setItem hook (no double report).
        return Reflect.set(target, property, value, target);
      }
      return Reflect.set(target, property, value, target);
    },
    deleteProperty(target, property) {
      return Reflect.deleteProperty(target, property);
    },
  });
  Object.defineProperty(globalThis, area, { configurable: true, enumerable: true, get: () => proxy });
}

function hookIndexedDb(report: Report): void {
  const factory = globalThis.IDBFactory?.prototype;
  if (!factory?.open) return;
  const open = factory.open;
  factory.open = function (this: IDBFactory, name: string, version?: number) {
    report({
      type: 'storage',
      area: 'indexedDB',
      action: 'open',
      key: String(name),
      time: Date.now(),
      url: location.href,
      initiator: initiatorFromStack(new Error().stack),
    });
    return version === undefined ? open.call(this, name) : open.call(this, name, version);
  };
}
