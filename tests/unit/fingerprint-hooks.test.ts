import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFingerprintHooks } from '../../entrypoints/page-hook.content/fingerprint-hooks';
import type { PageEvent } from '../../lib/messages';

/**
 * A canvas and 2D context like the browser's, reduced to what the hooks wrap: brand-checked
 * methods ("Illegal invocation" on a foreign `this`), `canvas`, `font` and style accessors.
 */
function installFakeCanvas() {
  const canvases = new WeakSet<object>();
  const contexts = new WeakMap<object, { canvas: object; font: string; fill: string }>();
  const ctxOf = (self: unknown) => {
    const c = typeof self === 'object' && self ? contexts.get(self) : undefined;
    if (!c) throw new TypeError('Illegal invocation');
    return c;
  };
  class CanvasRenderingContext2D {
    get canvas() {
      return ctxOf(this).canvas;
    }
    get font() {
      return ctxOf(this).font;
    }
    set font(v: string) {
      ctxOf(this).font = v;
    }
    get fillStyle() {
      return ctxOf(this).fill;
    }
    set fillStyle(v: string) {
      ctxOf(this).fill = v;
    }
    fillText(_text: string, _x: number, _y: number) {
      ctxOf(this);
    }
    fillRect(_x: number, _y: number, _w: number, _h: number) {
      ctxOf(this);
    }
    save() {
      ctxOf(this);
    }
    restore() {
      ctxOf(this);
    }
    measureText(text: string) {
      ctxOf(this);
      return { width: text.length * 7 };
    }
    getImageData(_x: number, _y: number, w: number, h: number) {
      ctxOf(this);
      return { data: new Uint8ClampedArray(w * h * 4) };
    }
  }
  class HTMLCanvasElement {
    declare width: number;
    declare height: number;
    constructor() {
      canvases.add(this);
    }
    getContext() {
      const ctx = Object.create(CanvasRenderingContext2D.prototype) as CanvasRenderingContext2D;
      contexts.set(ctx, { canvas: this, font: '10px sans-serif', fill: '#000' });
      return ctx;
    }
    toDataURL(type = 'image/png') {
      if (!canvases.has(this)) throw new TypeError('Illegal invocation');
      if (type === 'boom') throw new RangeError('page-visible error');
      return `data:${type};base64,AAAA`;
    }
  }
  // The element's size is an accessor on the prototype, as in the browser.
  for (const side of ['width', 'height'] as const) {
    const store = new WeakMap<object, number>();
    Object.defineProperty(HTMLCanvasElement.prototype, side, {
      configurable: true,
      get(this: object) {
        return store.get(this) ?? (side === 'width' ? 300 : 150);
      },
      set(this: object, v: number) {
        store.set(this, v);
      },
    });
  }
  const g = globalThis as Record<string, unknown>;
  g.CanvasRenderingContext2D = CanvasRenderingContext2D;
  g.HTMLCanvasElement = HTMLCanvasElement;
  g.location = { href: 'https://www.o2toit.com/page' };
  return { HTMLCanvasElement, CanvasRenderingContext2D };
}

describe('fingerprint hooks', () => {
  const toString = Object.getOwnPropertyDescriptor(Function.prototype, 'toString')!;
  let events: PageEvent[];
  let fake: ReturnType<typeof installFakeCanvas>;
  let script = 'https://tracker.example/fp.js';
  beforeEach(() => {
    events = [];
    fake = installFakeCanvas();
    script = 'https://tracker.example/fp.js';
    installFingerprintHooks(
      (e) => events.push(e),
      () => ({ initiator: script }),
    );
  });
  afterEach(() => {
    Object.defineProperty(Function.prototype, 'toString', toString);
    const g = globalThis as Record<string, unknown>;
    delete g.CanvasRenderingContext2D;
    delete g.HTMLCanvasElement;
    delete g.location;
  });

  const draw = (canvas: InstanceType<typeof fake.HTMLCanvasElement>, withSave = false) => {
    const ctx = canvas.getContext();
    if (withSave) ctx.save();
    ctx.fillStyle = '#f60';
    ctx.fillRect(1, 1, 60, 20);
    ctx.fillStyle = '#069';
    ctx.fillText('Cwm fjordbank glyphs vext quiz', 2, 15);
    if (withSave) ctx.restore();
    return ctx;
  };

  it('reports a canvas text readback once per script, and returns what the native returns', () => {
    const canvas = new fake.HTMLCanvasElement();
    draw(canvas);
    expect(canvas.toDataURL()).toBe('data:image/png;base64,AAAA');
    canvas.toDataURL();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'fingerprint', technique: 'canvas', initiator: script });
    script = 'https://other.example/fp2.js';
    canvas.toDataURL();
    expect(events.map((e) => (e as { initiator?: string }).initiator)).toEqual([
      'https://tracker.example/fp.js',
      'https://other.example/fp2.js',
    ]);
  });

  it('does not report a chart (save/restore), a JPEG export or a small canvas', () => {
    const chart = new fake.HTMLCanvasElement();
    const ctx = draw(chart, true);
    chart.toDataURL();
    ctx.getImageData(0, 0, 10, 10);
    const photo = new fake.HTMLCanvasElement();
    draw(photo);
    photo.toDataURL('image/jpeg');
    const swatch = new fake.HTMLCanvasElement();
    swatch.width = 12;
    swatch.height = 12;
    draw(swatch);
    swatch.toDataURL();
    expect(events).toEqual([]);
  });

  it('lets the native exceptions through unchanged and reports nothing for a failed call', () => {
    const canvas = new fake.HTMLCanvasElement();
    draw(canvas);
    expect(() => canvas.toDataURL('boom')).toThrow(RangeError);
    expect(() => fake.HTMLCanvasElement.prototype.toDataURL.call({})).toThrow('Illegal invocation');
    expect(() => fake.CanvasRenderingContext2D.prototype.fillText.call({}, 'x', 0, 0)).toThrow('Illegal invocation');
    expect(events).toEqual([]);
  });

  it('looks native: names, arities, no prototype, and toString of the native', () => {
    const hooked = fake.HTMLCanvasElement.prototype.toDataURL;
    expect(hooked.name).toBe('toDataURL');
    expect(hooked.length).toBe(0);
    expect('prototype' in hooked).toBe(false);
    expect(Function.prototype.toString.call(hooked)).toMatch(/^toDataURL\(type = ["']image\/png["']\) \{/);
    expect(fake.CanvasRenderingContext2D.prototype.fillText.length).toBe(3);
    expect(Function.prototype.toString.call(Function.prototype.toString)).toBe(toString.value.call(toString.value));
    const setter = Object.getOwnPropertyDescriptor(fake.CanvasRenderingContext2D.prototype, 'fillStyle')!.set!;
    expect(Function.prototype.toString.call(setter)).toMatch(/^set fillStyle\(v\) \{/);
    // toString's own checks are the native's.
    expect(() => Function.prototype.toString.call({})).toThrow(TypeError);
  });

  it('reports font probing at 50 distinct families by one script, taking a stack per new family only', () => {
    let stacks = 0;
    events = [];
    Object.defineProperty(Function.prototype, 'toString', toString);
    fake = installFakeCanvas();
    installFingerprintHooks(
      (e) => events.push(e),
      () => (stacks++, { initiator: script }),
    );
    const ctx = new fake.HTMLCanvasElement().getContext();
    for (let i = 0; i < 1000; i++) ctx.measureText(`line ${i}`); // a text layout library: one font
    // The default family counts as one: 48 probed families make 49.
    for (let i = 0; i < 48; i++) {
      ctx.font = `72px 'Font ${i}', monospace`;
      ctx.measureText('mmmmmmmmmmlli');
    }
    expect(events).toEqual([]);
    ctx.font = "72px 'Font 48', monospace";
    ctx.measureText('mmmmmmmmmmlli');
    expect(events).toMatchObject([{ type: 'fingerprint', technique: 'fonts', initiator: script }]);
    expect(stacks).toBe(50); // one per new family (the report reuses the last one)
  });
});
