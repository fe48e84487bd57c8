/**
 * Page-world hooks on the APIs fingerprinting scripts probe: canvas readback (`toDataURL`, `toBlob`,
 * `getImageData`), WebGL's unmasked vendor and renderer, OfflineAudioContext rendering of an
 * oscillator through a compressor, and font enumeration by `measureText`. The heuristics that tell
 * a fingerprint from a chart are in lib/collectors/fingerprint.ts; this file only keeps the raw
 * aggregates they need (per canvas: distinct characters and colours up to their thresholds, draw
 * count, save/restore; per realm: distinct fonts) and reports a probe once per technique and script.
 *
 * Invisible and harmless: each wrapper calls the native with the same `this` and arguments and
 * returns its result or lets its exception through untouched, and records only after the native
 * returned; wrappers keep the natives' names and arities, have no prototype or [[Construct]], and
 * `Function.prototype.toString` shows them as the natives. Reporting never throws into the page.
 * Cheap: a stack trace is taken only when a heuristic is met, or for a font family not measured yet.
 */
import {
  canvasDetail,
  CANVAS_MIN_COLOURS,
  CANVAS_MIN_DISTINCT_CHARS,
  isAudioProbe,
  isCanvasFingerprint,
  isFontProbe,
  isUnmaskedWebglParameter,
  probedFontFamily,
  type CanvasReadback,
  type FingerprintTechnique,
} from '@/lib/collectors/fingerprint';
import type { PageEvent } from '@/lib/messages';
import type { CaptureInitiator } from './stack';

type Report = (event: PageEvent) => void;
type Fn = (this: unknown, ...args: unknown[]) => unknown;

interface CanvasState {
  chars: Set<string>;
  colours: Set<string>;
  saveRestore: boolean;
  draws: number;
}

/** Distinct font families remembered per realm; past this, new families are no longer followed. */
const MAX_FONTS = 2000;

export function installFingerprintHooks(report: Report, initiator: CaptureInitiator): void {
  const disguised = disguiseToString();
  const reported = new Set<string>();
  const emit = (technique: FingerprintTechnique, detail: string, by?: ReturnType<CaptureInitiator>) => {
    try {
      const who = by ?? initiator();
      const key = `${technique} ${who.initiator ?? ''}`;
      if (reported.has(key)) return;
      reported.add(key);
      report({ type: 'fingerprint', technique, detail, time: Date.now(), url: location.href, ...who });
    } catch {
      // Reporting must never break the page.
    }
  };

  /** Replaces `proto[name]` by a wrapper that runs `after` once the native returned. */
  const wrap = (
    proto: object | undefined,
    name: string,
    after: (self: unknown, args: unknown[], result: unknown) => void,
  ) => {
    const descriptor = proto && Object.getOwnPropertyDescriptor(proto, name);
    const native = descriptor?.value as Fn | undefined;
    if (!proto || typeof native !== 'function') return;
    const hooked = {
      [name](this: unknown, ...args: unknown[]) {
        const result = native.apply(this, args);
        try {
          after(this, args, result);
        } catch {
          // Recording must never break the page.
        }
        return result;
      },
    }[name]!;
    Object.defineProperty(hooked, 'length', { value: native.length });
    disguised(hooked, native);
    Object.defineProperty(proto, name, { ...descriptor, value: hooked });
  };
  /** Replaces the setter of `proto[name]`; `after` sees the value once the native setter returned. */
  const wrapSetter = (proto: object | undefined, name: string, after: (self: unknown, value: unknown) => void) => {
    const descriptor = proto && Object.getOwnPropertyDescriptor(proto, name);
    const nativeSet = descriptor?.set;
    if (!proto || !nativeSet) return;
    const holder = {
      set [name](value: unknown) {
        nativeSet.call(this, value);
        try {
          after(this, value);
        } catch {
          // Recording must never break the page.
        }
      },
    };
    const set = Object.getOwnPropertyDescriptor(holder, name)!.set!;
    disguised(set, nativeSet);
    Object.defineProperty(proto, name, { ...descriptor, set });
  };

  hookCanvas(wrap, wrapSetter, emit, initiator);
  hookWebgl(wrap, emit);
  hookAudio(wrap, emit);
}

type Wrap = (
  proto: object | undefined,
  name: string,
  after: (self: unknown, args: unknown[], result: unknown) => void,
) => void;
type WrapSetter = (proto: object | undefined, name: string, after: (self: unknown, value: unknown) => void) => void;
type Emit = (technique: FingerprintTechnique, detail: string, by?: ReturnType<CaptureInitiator>) => void;

function hookCanvas(wrap: Wrap, wrapSetter: WrapSetter, emit: Emit, initiator: CaptureInitiator): void {
  const ctxProto = globalThis.CanvasRenderingContext2D?.prototype;
  const canvasProto = globalThis.HTMLCanvasElement?.prototype;
  if (!ctxProto || !canvasProto) return;
  const canvasOf = Object.getOwnPropertyDescriptor(ctxProto, 'canvas')?.get;
  const fontOf = Object.getOwnPropertyDescriptor(ctxProto, 'font')?.get;
  const widthOf = Object.getOwnPropertyDescriptor(canvasProto, 'width')?.get;
  const heightOf = Object.getOwnPropertyDescriptor(canvasProto, 'height')?.get;
  if (!canvasOf || !widthOf || !heightOf) return;
  const states = new WeakMap<object, CanvasState>();
  const stateOf = (ctx: unknown): CanvasState | undefined => {
    const canvas = canvasOf.call(ctx) as object | null;
    if (!canvas) return undefined;
    let s = states.get(canvas);
    if (!s) states.set(canvas, (s = { chars: new Set(), colours: new Set(), saveRestore: false, draws: 0 }));
    return s;
  };
  const readback = (canvas: object, api: string, type: unknown) => {
    const s = states.get(canvas);
    if (!s) return; // never drawn on with a 2D context: nothing rendered to fingerprint
    const r: CanvasReadback = {
      width: widthOf.call(canvas) as number,
      height: heightOf.call(canvas) as number,
      ...(typeof type === 'string' ? { type } : {}),
      distinctChars: s.chars.size,
      colours: s.colours.size,
      saveRestore: s.saveRestore,
      draws: s.draws,
    };
    if (isCanvasFingerprint(r)) emit('canvas', canvasDetail(r, api));
  };

  const text = (self: unknown, args: unknown[]) => {
    const s = stateOf(self);
    if (!s) return;
    s.draws++;
    if (typeof args[0] !== 'string') return;
    for (const ch of args[0]) {
      if (s.chars.size >= CANVAS_MIN_DISTINCT_CHARS) break;
      s.chars.add(ch);
    }
  };
  wrap(ctxProto, 'fillText', text);
  wrap(ctxProto, 'strokeText', text);
  for (const name of ['fillRect', 'strokeRect', 'fill', 'stroke', 'drawImage', 'clearRect']) {
    wrap(ctxProto, name, (self) => {
      const s = stateOf(self);
      if (s) s.draws++;
    });
  }
  for (const name of ['save', 'restore']) {
    wrap(ctxProto, name, (self) => {
      const s = stateOf(self);
      if (s) s.saveRestore = true;
    });
  }
  for (const name of ['fillStyle', 'strokeStyle']) {
    wrapSetter(ctxProto, name, (self, value) => {
      if (typeof value !== 'string') return; // gradients and patterns: not counted
      const s = stateOf(self);
      if (s && s.colours.size < CANVAS_MIN_COLOURS) s.colours.add(value.trim().toLowerCase());
    });
  }
  wrap(canvasProto, 'toDataURL', (self, args) => readback(self as object, 'toDataURL', args[0]));
  wrap(canvasProto, 'toBlob', (self, args) => readback(self as object, 'toBlob', args[1]));
  wrap(ctxProto, 'getImageData', (self) => {
    const canvas = canvasOf.call(self) as object | null;
    if (canvas) readback(canvas, 'getImageData', undefined);
  });

  // Fonts: a stack only for a family this realm has not measured yet, so a text layout library
  // measuring thousands of strings in its one font costs one lookup per call.
  if (!fontOf) return;
  const seen = new Set<string>();
  const byScript = new Map<string, Set<string>>();
  let lastFont: unknown;
  wrap(ctxProto, 'measureText', (self) => {
    const font = fontOf.call(self);
    if (font === lastFont) return; // the common case: many strings measured in one font
    lastFont = font;
    const family = probedFontFamily(String(font));
    if (!family || seen.has(family) || seen.size >= MAX_FONTS) return;
    seen.add(family);
    const who = initiator();
    const script = who.initiator ?? '';
    let fonts = byScript.get(script);
    if (!fonts) byScript.set(script, (fonts = new Set()));
    fonts.add(family);
    if (isFontProbe(fonts.size)) emit('fonts', `text measured in ${fonts.size} distinct font families`, who);
  });
}

function hookWebgl(wrap: Wrap, emit: Emit): void {
  for (const api of [globalThis.WebGLRenderingContext, globalThis.WebGL2RenderingContext]) {
    wrap(api?.prototype, 'getParameter', (_self, args) => {
      if (isUnmaskedWebglParameter(args[0]))
        emit('webgl', `WebGL ${args[0] === 0x9245 ? 'unmasked vendor' : 'unmasked renderer'} read`);
    });
  }
}

function hookAudio(wrap: Wrap, emit: Emit): void {
  const base = (globalThis as { BaseAudioContext?: { prototype: object } }).BaseAudioContext?.prototype;
  const offline = globalThis.OfflineAudioContext?.prototype;
  if (!base || !offline) return;
  const made = new WeakMap<object, { oscillator: boolean; compressor: boolean }>();
  const mark = (self: unknown, what: 'oscillator' | 'compressor') => {
    if (!self || typeof self !== 'object') return;
    const m = made.get(self) ?? { oscillator: false, compressor: false };
    m[what] = true;
    made.set(self, m);
  };
  wrap(base, 'createOscillator', (self) => mark(self, 'oscillator'));
  wrap(base, 'createDynamicsCompressor', (self) => mark(self, 'compressor'));
  wrap(offline, 'startRendering', (self) => {
    const m = self && typeof self === 'object' ? made.get(self) : undefined;
    if (m && isAudioProbe({ offline: true, ...m }))
      emit('audio', 'OfflineAudioContext rendered an oscillator through a dynamics compressor');
  });
}

/**
 * Makes `Function.prototype.toString` show each wrapper as its native (`function toDataURL() {
 * [native code] }`), itself included. Returns the function that registers a wrapper.
 */
function disguiseToString(): (hooked: object, native: object) => void {
  const fnProto = Function.prototype;
  const descriptor = Object.getOwnPropertyDescriptor(fnProto, 'toString');
  const nativeToString = descriptor?.value as Fn | undefined;
  const natives = new WeakMap<object, object>();
  if (typeof nativeToString !== 'function') return () => undefined;
  const toString = {
    toString(this: unknown) {
      // Same `this` checks and exceptions as the native: a wrapper is replaced by its native first.
      const target = (typeof this === 'function' && natives.get(this)) || this;
      return nativeToString.call(target);
    },
  }.toString;
  Object.defineProperty(toString, 'length', { value: nativeToString.length });
  natives.set(toString, nativeToString);
  Object.defineProperty(fnProto, 'toString', { ...descriptor, value: toString });
  return (hooked, native) => natives.set(hooked, native);
}
