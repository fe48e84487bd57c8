/**
 * Cookie syncing is recognised by digests on both ends, so no value reaches the report: where an
 * identifier's value is known (a cookie's value in the background), it is digested raw (with its
 * dot-separated tails, `identifierDigests`) and hashed (MD5, SHA-1, SHA-256 hex, then digested);
 * where a request is recorded, each query and fragment parameter and each path segment is digested
 * raw and, when it reads as base64 text, decoded. lib/report/shared-identifiers.ts matches the two
 * sets over the whole audit, and drops both before the report is built.
 *
 * Storage values stay in the page world, which sends their raw digests only (the page-hook bundle
 * carries no hash functions); the isolated-world relay reads the value back with its own natives
 * and adds its hash digests (lib/collectors/storage-hashes.ts). Request bodies of audited tabs are
 * tokenised at the edge by lib/collectors/request-body.ts into the same scan: only digests are kept.
 */
import { md5Hex, sha1Hex, sha256Hex } from '../hashes';
import { looksLikeIdentifier, valueDigest } from '../identifiers';

/** Hash forms trackers send an identifier in. */
export type IdentifierHash = 'md5' | 'sha1' | 'sha256';

/** One candidate value carried by a request URL, by digest. Internal: never in a report. */
export interface CarriedDigest {
  digest: string;
  /** `base64`: the URL part was base64 text that decodes to (or contains) the value. */
  encoding: 'raw' | 'base64';
  /**
   * Where: `query <name>`, `fragment <name>` or `path <index>` (1 for the first segment) in the URL;
   * `body form <name>`, `body json <path>` or `body text` in the request body.
   */
  at: string;
}

const HASHES: ReadonlyArray<[IdentifierHash, (value: string) => string]> = [
  ['md5', md5Hex],
  ['sha1', sha1Hex],
  ['sha256', sha256Hex],
];

/**
 * `<hash>:<digest>` of the MD5, SHA-1 and SHA-256 hex of a value and of its dot-separated tails that
 * look like identifiers (the ones `identifierDigests` keeps). Cookie values are short: at most a
 * few tails, three hashes each.
 */
export function hashDigests(value: string): string[] {
  const out: string[] = [];
  let rest = value;
  for (let i = 0; i < 4; i++) {
    if (looksLikeIdentifier(rest)) for (const [name, hash] of HASHES) out.push(`${name}:${valueDigest(hash(rest))}`);
    const dot = rest.indexOf('.');
    if (dot === -1) break;
    rest = rest.slice(dot + 1);
  }
  return out;
}

/** Digests kept per request, URL and body together: a sync carries a few ids, not hundreds. */
const MAX_CARRIED = 48;
const BASE64 = /^[A-Za-z0-9+/_-]{12,}={0,2}$/;
const HEX_HASH = /^(?:[0-9A-F]{32}|[0-9A-F]{40}|[0-9A-F]{64})$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 (standard or URL-safe, padding optional) decoded to printable ASCII text, or undefined. */
export function base64Text(value: string): string | undefined {
  if (!BASE64.test(value)) return undefined;
  const clean = value.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (clean.length % 4 === 1) return undefined;
  let out = '';
  let bits = 0;
  let buffer = 0;
  for (const ch of clean) {
    buffer = (buffer << 6) | ALPHABET.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const code = (buffer >> bits) & 0xff;
      if (code < 0x20 || code > 0x7e) return undefined;
      out += String.fromCharCode(code);
    }
  }
  return out;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** The value and the identifier-like tokens inside it (`a:1234567890|b` → `1234567890`). */
function tokens(value: string): string[] {
  const parts = value.split(/[^A-Za-z0-9._~-]+/).filter(looksLikeIdentifier);
  return parts.length === 1 && parts[0] === value ? [value] : [value, ...parts];
}

/** One request's digests being gathered: URL and body share it, so a value is kept once. */
export interface Scan {
  out: CarriedDigest[];
  seen: Set<string>;
  /** When the request was made (ms), to tell a timestamp from an identifier. */
  time?: number;
}

/**
 * A bare Unix time (seconds or ms) within a day of the request: a cache-buster, not an identifier,
 * even when it equals a cookie's dot tail (`_ga`'s first-visit second, Matomo's `_pk_id` tail) set
 * in the same second.
 */
function isTimestamp(value: string, time: number | undefined): boolean {
  if (time === undefined || !/^(?:\d{10}|\d{13})$/.test(value)) return false;
  const ms = value.length === 10 ? Number(value) * 1000 : Number(value);
  return Math.abs(ms - time) < 86_400_000;
}

function add(scan: Scan, value: string, encoding: CarriedDigest['encoding'], at: string) {
  const { out, seen } = scan;
  if (!looksLikeIdentifier(value) || out.length >= MAX_CARRIED || isTimestamp(value, scan.time)) return;
  // Hex hashes are compared in lower case: `hashDigests` digests the lower-case hex.
  const v = HEX_HASH.test(value) ? value.toLowerCase() : value;
  const digest = valueDigest(v);
  if (seen.has(digest)) return;
  seen.add(digest);
  out.push({ digest, encoding, at });
}

/** A fresh scan for a request made at `time` (ms). */
export function newScan(time?: number): Scan {
  return { out: [], seen: new Set(), ...(time !== undefined ? { time } : {}) };
}

/** Whether the scan holds as many digests as a request may carry: callers stop reading. */
export const scanFull = (scan: Scan) => scan.out.length >= MAX_CARRIED;

/** Adds the digests of one carried value (raw, its identifier-like tokens, its base64 text). */
export function candidates(scan: Scan, value: string, at: string) {
  if (value.length < 8) return;
  if (looksLikeIdentifier(value)) for (const t of tokens(value)) add(scan, t, 'raw', at);
  // Base64 text need not have a digit where what it encodes does (`o2s-7c41…` is `bzJzLTdj…`).
  const text = base64Text(value);
  if (text) for (const t of tokens(text)) add(scan, t, 'base64', at);
}

/** The values of `a=b&c=d` parameters, each at `<where> <name>` (`query`, `fragment`, `body form`). */
export function params(scan: Scan, part: string, where: string) {
  for (const pair of part.split('&')) {
    if (scanFull(scan)) return;
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    candidates(scan, decode(pair.slice(eq + 1)), `${where} ${decode(pair.slice(0, eq))}`);
  }
}

/**
 * Digests of the values a request URL carries: query and fragment parameters and path segments,
 * raw (URL-decoded) and base64-decoded. Cheap when there is nothing to find: a URL with no
 * identifier-like part gives an empty list after one scan.
 */
export function carriedDigests(url: string, time?: number): CarriedDigest[] {
  return scanUrl(newScan(time), url).out;
}

/** {@link carriedDigests} into a scan a request body may add to. */
export function scanUrl(scan: Scan, url: string): Scan {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const q = beforeHash.indexOf('?');
  const head = q === -1 ? beforeHash : beforeHash.slice(0, q);
  const scheme = head.indexOf('://');
  const slash = head.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  if (slash !== -1)
    head
      .slice(slash + 1)
      .split('/')
      .forEach((segment, i) => candidates(scan, decode(segment), `path ${i + 1}`));
  if (q !== -1) params(scan, beforeHash.slice(q + 1), 'query');
  if (hash !== -1 && url.includes('=', hash)) params(scan, url.slice(hash + 1), 'fragment');
  return scan;
}
