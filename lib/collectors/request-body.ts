/**
 * The values a request body carries, as digests only (cookie syncing by POST: a form field, a JSON
 * beacon, a `text/plain` sendBeacon). webRequest hands the background the body as parsed form
 * fields (`formData`, for url-encoded and multipart bodies) or as raw byte chunks; this module
 * turns either into candidate values and digests them into the request's scan
 * (lib/collectors/sync-digests.ts), at the edge, so no body content is ever stored: the record
 * keeps the digests and where each came from (`body form uid`, `body json user.id`, `body text`).
 *
 * Bounded per request, whatever the page sends: at most MAX_BODY_BYTES bytes are read (the rest is
 * never decoded), JSON is walked to MAX_DEPTH levels and MAX_VALUES values, and a body that does
 * not decode as text (an image upload, protobuf) is skipped after one pass over its first bytes.
 */
import { candidates, newScan, params, scanFull, type CarriedDigest, type Scan } from './sync-digests';

/** webRequest's `requestBody` (Chrome and Firefox agree on these fields). */
export interface RawRequestBody {
  /** Parsed fields of an `application/x-www-form-urlencoded` or `multipart/form-data` body. */
  formData?: Record<string, unknown>;
  /** The body's bytes, in chunks; a chunk of a file upload has `file` instead. */
  raw?: Array<{ bytes?: unknown; file?: string }>;
  error?: string;
}

/** Bytes of a body read at most: identifiers sit near the start of a beacon, a large upload costs nothing more. */
export const MAX_BODY_BYTES = 16_384;
const MAX_DEPTH = 6;
const MAX_VALUES = 256;
const MAX_FIELDS = 64;
/** Longest single value tokenised: an id is short; a long text is searched word by word. */
const MAX_VALUE_LENGTH = 2_048;

/** The first MAX_BODY_BYTES bytes of the raw chunks, decoded as UTF-8 text; undefined for binary. */
export function bodyText(raw: RawRequestBody['raw']): string | undefined {
  if (!Array.isArray(raw)) return undefined;
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const chunk of raw) {
    if (size >= MAX_BODY_BYTES) break;
    const bytes = chunk?.bytes;
    // By tag, not instanceof: the browser may hand over a buffer of another realm.
    const isBuffer = Object.prototype.toString.call(bytes) === '[object ArrayBuffer]';
    if (!isBuffer && !ArrayBuffer.isView(bytes)) continue;
    const view = isBuffer
      ? new Uint8Array(bytes as ArrayBuffer)
      : new Uint8Array(
          (bytes as ArrayBufferView).buffer,
          (bytes as ArrayBufferView).byteOffset,
          (bytes as ArrayBufferView).byteLength,
        );
    const take = view.subarray(0, Math.min(view.byteLength, MAX_BODY_BYTES - size));
    parts.push(take);
    size += take.byteLength;
  }
  if (!size) return undefined;
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(all);
  // Binary: a NUL, or more than 1 in 20 characters undecodable or control (tab and newlines aside).
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return undefined;
    if (c === 0xfffd || (c < 0x20 && c !== 9 && c !== 10 && c !== 13)) bad++;
  }
  return bad * 20 > text.length ? undefined : text;
}

/** A JSON key as a place name: a key that is itself an identifier is not written down. */
const keyName = (key: string) => (/\d/.test(key) && key.length >= 8 ? '*' : key.slice(0, 64));

/** Walks parsed JSON: strings and long integers are candidates, at `body json <path>`. */
function walkJson(scan: Scan, value: unknown, path: string, depth: number, budget: { values: number }): void {
  if (scanFull(scan) || budget.values <= 0) return;
  if (typeof value === 'string') {
    budget.values--;
    candidates(scan, value.slice(0, MAX_VALUE_LENGTH), `body json ${path || '$'}`);
  } else if (typeof value === 'number') {
    budget.values--;
    if (Number.isSafeInteger(value)) candidates(scan, String(value), `body json ${path || '$'}`);
  } else if (value && typeof value === 'object' && depth < MAX_DEPTH) {
    if (Array.isArray(value)) value.forEach((v, i) => walkJson(scan, v, `${path}[${i}]`, depth + 1, budget));
    else
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        walkJson(scan, v, path ? `${path}.${keyName(k)}` : keyName(k), depth + 1, budget);
  }
}

const FORM = /^[\w.%[\]~+-]+=[^\s]*$/;

/** Text of a body: JSON, url-encoded form, or plain text searched word by word. */
function scanText(scan: Scan, text: string): void {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      walkJson(scan, JSON.parse(trimmed), '', 0, { values: MAX_VALUES });
      return;
    } catch {
      // cut at MAX_BODY_BYTES, or not JSON: searched as text below
    }
  }
  if (FORM.test(trimmed)) return params(scan, trimmed, 'body form');
  const words = trimmed.split(/[\s,;&|"'<>{}()[\]]+/);
  for (let i = 0; i < words.length && i < MAX_VALUES * 4 && !scanFull(scan); i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    candidates(scan, (eq > 0 ? word.slice(eq + 1) : word).slice(0, MAX_VALUE_LENGTH), 'body text');
  }
}

/** Adds the digests of what a request body carries to the request's scan. */
export function scanBody(scan: Scan, body: RawRequestBody | undefined): Scan {
  if (!body || typeof body !== 'object') return scan;
  if (body.formData && typeof body.formData === 'object') {
    let fields = 0;
    for (const [name, values] of Object.entries(body.formData)) {
      if (++fields > MAX_FIELDS || scanFull(scan)) break;
      for (const v of Array.isArray(values) ? values.slice(0, 8) : [values])
        if (typeof v === 'string') candidates(scan, v.slice(0, MAX_VALUE_LENGTH), `body form ${keyName(name)}`);
    }
  }
  const text = bodyText(body.raw);
  if (text !== undefined) scanText(scan, text);
  return scan;
}

/** The digests a request body alone carries (`time`: when it was sent, to tell timestamps). */
export function bodyDigests(body: RawRequestBody | undefined, time?: number): CarriedDigest[] {
  return scanBody(newScan(time), body).out;
}
