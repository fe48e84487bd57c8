/**
 * Colour contrast of a control's text on its background, as WCAG 2 defines it (relative luminance,
 * ratio from 1 to 21), from the computed `rgb()` / `rgba()` strings the page's styles give.
 */

/** `[r, g, b, alpha]` from `rgb(1, 2, 3)`, `rgba(1, 2, 3, 0.5)` or `rgb(1 2 3 / 50%)`; undefined otherwise. */
export function parseRgb(css: string): [number, number, number, number] | undefined {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/i.exec(css.trim());
  if (!m) return undefined;
  const alpha = m[4] === undefined ? 1 : Number(m[4]) / (m[5] ? 100 : 1);
  return [Number(m[1]), Number(m[2]), Number(m[3]), alpha];
}

function luminance([r, g, b]: readonly number[]): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

/** Text over a background: alpha blended over white (the usual page background). */
export function contrastRatio(color: string, background: string): number | undefined {
  const fg = parseRgb(color);
  const bgRaw = parseRgb(background) ?? [255, 255, 255, 1];
  if (!fg) return undefined;
  const blend = (c: readonly number[], under: readonly number[]) =>
    [0, 1, 2].map((i) => c[i]! * c[3]! + under[i]! * (1 - c[3]!));
  const bg = blend(bgRaw, [255, 255, 255]);
  const text = blend(fg, bg);
  const [hi, lo] = [luminance(text), luminance(bg)].sort((a, b) => b - a) as [number, number];
  return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
}
