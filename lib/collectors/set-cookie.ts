/**
 * Parses cookie-setting strings into the *requested* lifetime. The browser caps what it stores at
 * 400 days, so the cookies API cannot tell what the site asked for: only the raw `Set-Cookie`
 * header or the `document.cookie` string can. Parsing follows RFC 6265bis §5.6 leniently, like a
 * browser: a broken attribute is ignored, never fatal. Pure: no browser APIs.
 */
import { clampTime } from '../time';
import { parseCookieDate, type CookieFlavor } from './cookie-date';

export type { CookieFlavor };

export interface ParsedCookieWrite {
  name: string;
  /** Domain attribute without its leading dot, or the request host for host-only cookies. */
  domain: string;
  hostOnly: boolean;
  path: string;
  session: boolean;
  /** Requested expiry, ms since epoch; absent for session cookies. Max-Age wins over Expires. */
  requestedExpiry?: number;
  /** True when the write deletes the cookie (expiry in the past or Max-Age <= 0). */
  deletes: boolean;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
  partitioned: boolean;
  valueLength: number;
  /** Why the browser will refuse to store it, when the string alone tells (a Domain of another site). */
  refused?: string;
}

export type CookieParseResult = { ok: true; cookie: ParsedCookieWrite } | { ok: false; error: string; raw: string };

/** RFC 6265bis §5.6: a cookie whose name and value together exceed 4096 octets is ignored entirely. */
export const MAX_NAME_VALUE_BYTES = 4096;
/** RFC 6265bis §5.6: an attribute whose value exceeds 1024 octets is ignored (the cookie is kept). */
export const MAX_ATTRIBUTE_VALUE_BYTES = 1024;
/** Only this much of a refused string is kept for the error message. */
const MAX_ERROR_RAW = 200;

const encoder = new TextEncoder();
const bytes = (s: string) => (s.length * 3 <= MAX_ATTRIBUTE_VALUE_BYTES ? s.length : encoder.encode(s).length);

/**
 * Parse one cookie string (one `Set-Cookie` header line or one `document.cookie` assignment).
 * Follows RFC 6265bis §5.6 as Chromium and Firefox do: Expires by the cookie-date algorithm
 * (§5.1.1, junk tokens ignored), Max-Age as a (possibly huge) integer, oversized attribute values
 * ignored, an oversized name+value refused. Never throws: an absurd value clamps to a
 * representable date.
 * @param raw the string as sent
 * @param host the host of the response or document, for host-only cookies and the default path
 * @param now when the write was observed, ms since epoch (Max-Age is relative to it)
 * @param defaultPath path of the request URL (RFC 6265 default-path), `/` when unknown
 * @param flavor whose reading to follow where Chromium and Firefox differ (see the corpus)
 */
export function parseCookieString(
  raw: string,
  host: string,
  now: number,
  defaultPath = '/',
  flavor: CookieFlavor = 'chromium',
): CookieParseResult {
  const refuse = (error: string): CookieParseResult => ({ ok: false, error, raw: raw.slice(0, MAX_ERROR_RAW) });
  const semicolon = raw.indexOf(';');
  const pair = semicolon === -1 ? raw : raw.slice(0, semicolon);
  const attributes = semicolon === -1 ? [] : raw.slice(semicolon + 1).split(';');
  const eq = pair.indexOf('=');
  // A nameless cookie ("=value" or "value") is legal but useless for auditing names; reject clearly.
  const name = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  if (!name) return refuse('cookie string has no name=value pair');
  const value = (eq === -1 ? pair : pair.slice(eq + 1)).trim();
  if (encoder.encode(name).length + encoder.encode(value).length > MAX_NAME_VALUE_BYTES)
    return refuse(`name and value exceed ${MAX_NAME_VALUE_BYTES} bytes: the browser ignores the cookie`);
  let domain = host.toLowerCase();
  let hostOnly = true;
  let path = defaultPath;
  let maxAge: number | undefined;
  let expires: number | undefined;
  let secure = false;
  let httpOnly = false;
  let partitioned = false;
  let sameSite: string | undefined;
  for (const attribute of attributes) {
    const i = attribute.indexOf('=');
    const key = (i === -1 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
    const val = (i === -1 ? '' : attribute.slice(i + 1)).trim();
    if (bytes(val) > MAX_ATTRIBUTE_VALUE_BYTES) continue;
    switch (key) {
      case 'max-age':
        // RFC 6265bis: a non-integer Max-Age is ignored; a zero or negative one deletes. Huge values
        // stay numbers (99999999999999 is exact in a double); the expiry clamps below. Chromium
        // also reads a leading `+` (`+3600`), Firefox ignores the attribute then.
        if ((flavor === 'chromium' ? /^[-+]?\d+$/ : /^-?\d+$/).test(val)) maxAge = Number(val);
        break;
      case 'expires': {
        const t = parseCookieDate(val, flavor);
        if (t !== undefined) expires = t;
        break;
      }
      case 'domain':
        if (val) {
          domain = val.replace(/^\./, '').toLowerCase();
          hostOnly = false;
        }
        break;
      case 'path':
        if (val.startsWith('/')) path = val;
        break;
      case 'secure':
        secure = true;
        break;
      case 'httponly':
        httpOnly = true;
        break;
      case 'partitioned':
        partitioned = true;
        break;
      case 'samesite':
        sameSite = val.toLowerCase();
        break;
    }
  }
  // The lifetime *requested*, clamped only to what a Date can hold; the browsers' 400-day cap
  // applies to what they store, which the cookies API reports separately.
  const refused =
    !hostOnly && domain !== host.toLowerCase() && !host.toLowerCase().endsWith(`.${domain}`)
      ? `Domain=${domain} does not cover ${host.toLowerCase()}: the browser refuses it`
      : undefined;
  const requestedExpiry = maxAge !== undefined ? clampTime(now + maxAge * 1000) : expires;
  const session = requestedExpiry === undefined;
  const deletes = !session && (maxAge !== undefined ? maxAge <= 0 : requestedExpiry! <= now);
  return {
    ok: true,
    cookie: {
      name,
      domain,
      hostOnly,
      path,
      session,
      ...(session ? {} : { requestedExpiry }),
      deletes,
      secure,
      httpOnly,
      ...(sameSite ? { sameSite } : {}),
      partitioned,
      valueLength: value.length,
      ...(refused ? { refused } : {}),
    },
  };
}

/**
 * Splits the `Set-Cookie` values of a response. Chrome gives one header entry per cookie; Firefox
 * joins several cookies into one value separated by newlines.
 */
export function splitSetCookieHeaders(headers: ReadonlyArray<{ name: string; value?: string }>): string[] {
  return headers
    .filter((h) => h.name.toLowerCase() === 'set-cookie' && typeof h.value === 'string')
    .flatMap((h) => h.value!.split('\n'))
    .map((line) => line.trim())
    .filter(Boolean);
}

/** RFC 6265 default-path of a request URL: the directory of its path. */
export function defaultCookiePath(url: string): string {
  try {
    const { pathname } = new URL(url);
    const last = pathname.lastIndexOf('/');
    return last <= 0 ? '/' : pathname.slice(0, last);
  } catch {
    return '/';
  }
}
