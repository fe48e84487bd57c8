/**
 * Parses cookie-setting strings into the *requested* lifetime. The browser caps what it stores at
 * 400 days, so the cookies API cannot tell what the site asked for: only the raw `Set-Cookie`
 * header or the `document.cookie` string can. Parsing follows RFC 6265bis §5.6 leniently, like a
 * browser: a broken attribute is ignored, never fatal. Pure: no browser APIs.
 */

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
}

export type CookieParseResult = { ok: true; cookie: ParsedCookieWrite } | { ok: false; error: string; raw: string };

const MAX_RAW = 4096;

/**
 * Parse one cookie string (one `Set-Cookie` header line or one `document.cookie` assignment).
 * @param raw the string as sent
 * @param host the host of the response or document, for host-only cookies and the default path
 * @param now when the write was observed, ms since epoch (Max-Age is relative to it)
 * @param defaultPath path of the request URL (RFC 6265 default-path), `/` when unknown
 */
export function parseCookieString(raw: string, host: string, now: number, defaultPath = '/'): CookieParseResult {
  const text = raw.slice(0, MAX_RAW);
  const [pair = '', ...attributes] = text.split(';');
  const eq = pair.indexOf('=');
  // A nameless cookie ("=value" or "value") is legal but useless for auditing names; reject clearly.
  const name = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  if (!name) return { ok: false, error: 'cookie string has no name=value pair', raw: text };
  const value = eq === -1 ? pair : pair.slice(eq + 1);
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
    switch (key) {
      case 'max-age':
        // RFC 6265bis: a non-integer Max-Age is ignored; a zero or negative one deletes.
        if (/^-?\d+$/.test(val)) maxAge = Number(val);
        break;
      case 'expires': {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) expires = t;
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
  const requestedExpiry = maxAge !== undefined ? now + maxAge * 1000 : expires;
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
      valueLength: value.trim().length,
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
