/**
 * One limit everywhere: the size limits of what an auditor hands the tool (a declared policy, an
 * Open Cookie Database CSV, a filter list), with one wording of the error, used by the command
 * line before any browser starts (scripts/cli/load-policy.ts) and by the extension's import path.
 * A file the extension would refuse is refused by the command line first, in the same words.
 */

/** The kinds of file an auditor imports. */
export type ImportKind = 'policy' | 'ocd' | 'filters';

const MB = 1024 * 1024;

/**
 * Largest accepted file, in bytes (UTF-8). A declared policy is hand-written JSON of a few KB;
 * 2 MB leaves room for thousands of listed cookies. The knowledge lists we know of (Open Cookie
 * Database, EasyPrivacy) are under 2 MB; 20 MB bounds memory in the extension.
 */
export const MAX_IMPORT_BYTES: Readonly<Record<ImportKind, number>> = {
  policy: 2 * MB,
  ocd: 20 * MB,
  filters: 20 * MB,
};

const WHAT: Record<ImportKind, string> = {
  policy: 'a policy',
  ocd: 'an Open Cookie Database file',
  filters: 'a filter list',
};

/** UTF-8 length of a text without encoding it (a 20 MB text must not cost another 20 MB). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const size = (bytes: number) => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/**
 * Why a file of `bytes` bytes is refused, or undefined when it is within the limit. The same
 * sentence in the command line and in the extension.
 */
export function sizeError(kind: ImportKind, bytes: number): string | undefined {
  const max = MAX_IMPORT_BYTES[kind];
  if (bytes <= max) return undefined;
  return `the file is ${size(bytes)}; ${WHAT[kind]} may be at most ${size(max)}`;
}

/** {@link sizeError} for a text already read; non-text is refused too. */
export function textSizeError(kind: ImportKind, text: unknown): string | undefined {
  if (typeof text !== 'string') return 'no text was given';
  // Cheap bound first: a string of n UTF-16 units is at most 3n bytes.
  if (text.length * 3 <= MAX_IMPORT_BYTES[kind]) return undefined;
  return sizeError(kind, utf8Length(text));
}
