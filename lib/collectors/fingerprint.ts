/**
 * Fingerprinting heuristics, fed by the page-world hook's raw aggregates
 * (entrypoints/page-hook.content/fingerprint-hooks.ts). Pure: no DOM here.
 *
 * From Englehardt & Narayanan, "Online Tracking: A 1-million-site Measurement and Analysis"
 * (CCS 2016, §6.1), so that drawing a chart is not fingerprinting:
 * - canvas: the canvas is at least 16×16 px; before the readback the script drew text with at least
 *   10 distinct characters or used at least 2 colours; it never called `save`/`restore` (drawing
 *   libraries and animations do, fingerprinting scripts do not) nor drew like an animation; and the
 *   readback is not of a lossy format (`image/jpeg`), which would blur the fine differences it seeks;
 * - fonts: one script measured text in at least 50 distinct font families;
 * - WebGL: the unmasked vendor or renderer was read (WEBGL_debug_renderer_info);
 * - audio: an OfflineAudioContext with an oscillator and a dynamics compressor was rendered.
 */

export type FingerprintTechnique = 'canvas' | 'webgl' | 'audio' | 'fonts';

export const FINGERPRINT_TECHNIQUES: readonly FingerprintTechnique[] = ['canvas', 'webgl', 'audio', 'fonts'];

export const CANVAS_MIN_SIDE = 16;
export const CANVAS_MIN_DISTINCT_CHARS = 10;
export const CANVAS_MIN_COLOURS = 2;
/** More draw calls than this on one canvas before a readback looks like an animation or a drawing app. */
export const CANVAS_MAX_DRAWS = 500;
export const FONTS_MIN_DISTINCT = 50;
/** WEBGL_debug_renderer_info's UNMASKED_VENDOR_WEBGL and UNMASKED_RENDERER_WEBGL. */
export const UNMASKED_VENDOR_WEBGL = 0x9245;
export const UNMASKED_RENDERER_WEBGL = 0x9246;

/** What the hook knows of one canvas when it is read back. */
export interface CanvasReadback {
  width: number;
  height: number;
  /** MIME type asked of `toDataURL`/`toBlob`; absent for `getImageData` (raw pixels). */
  type?: string;
  /** Distinct characters drawn with fillText/strokeText (the hook stops counting at the threshold). */
  distinctChars: number;
  /** Distinct fill/stroke styles set (the hook stops counting at the threshold). */
  colours: number;
  saveRestore: boolean;
  draws: number;
}

const LOSSY = new Set(['image/jpeg', 'image/jpg']);

export function isCanvasFingerprint(r: CanvasReadback): boolean {
  if (!(r.width >= CANVAS_MIN_SIDE && r.height >= CANVAS_MIN_SIDE)) return false;
  if (r.type !== undefined && LOSSY.has(r.type.trim().toLowerCase())) return false;
  if (r.saveRestore || r.draws > CANVAS_MAX_DRAWS) return false;
  return r.distinctChars >= CANVAS_MIN_DISTINCT_CHARS || r.colours >= CANVAS_MIN_COLOURS;
}

export function isFontProbe(distinctFonts: number): boolean {
  return distinctFonts >= FONTS_MIN_DISTINCT;
}

export function isUnmaskedWebglParameter(pname: unknown): boolean {
  return pname === UNMASKED_VENDOR_WEBGL || pname === UNMASKED_RENDERER_WEBGL;
}

export function isAudioProbe(a: { offline: boolean; oscillator: boolean; compressor: boolean }): boolean {
  return a.offline && a.oscillator && a.compressor;
}

/**
 * The family a `ctx.font` value probes: the first family of the CSS font shorthand
 * (`72px "Font Name", monospace` → `font name`), lower-cased, quotes removed. Font probing sets the
 * candidate first and a generic fallback after it, and compares widths.
 */
export function probedFontFamily(font: string): string | undefined {
  // The family list follows the size (`12px`, `1.5em`, `12px/1.2`, `large`...): after the last size token.
  const m =
    /(?:^|\s)(?:[\d.]+(?:px|pt|em|rem|%|ex|ch|vw|vh|pc|in|cm|mm|q)?|xx-small|x-small|small|medium|large|x-large|xx-large|larger|smaller)(?:\/\S+)?\s+(.+)$/i.exec(
      font.trim(),
    );
  const families = m?.[1] ?? font;
  const first = families
    .split(',')[0]
    ?.trim()
    .replace(/^["']|["']$/g, '')
    .trim()
    .toLowerCase();
  return first ? first.slice(0, 100) : undefined;
}

/** One fingerprinting probe as the hook reports it, and as the background keeps it. */
export interface FingerprintProbe {
  technique: FingerprintTechnique;
  /** What met the threshold, in plain words (`canvas 220×30 read with toDataURL, 23 distinct characters, 3 colours`). */
  detail: string;
}

/** Plain words for a canvas readback that met the heuristic. */
export function canvasDetail(r: CanvasReadback, api: string): string {
  return (
    `canvas ${r.width}×${r.height} read with ${api}${r.type ? ` (${r.type})` : ''}, ` +
    `${r.distinctChars >= CANVAS_MIN_DISTINCT_CHARS ? `≥${CANVAS_MIN_DISTINCT_CHARS}` : r.distinctChars} distinct characters drawn, ` +
    `${r.colours >= CANVAS_MIN_COLOURS ? `≥${CANVAS_MIN_COLOURS}` : r.colours} colours`
  );
}
