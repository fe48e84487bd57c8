/**
 * Identifiers in recorded URLs: which parameters carry one, digests of recorded values to
 * recognise them by, and the redaction itself (hash and length). A top-level module with no
 * imports, so the collectors and the report can both use it.
 */

/**
 * Query (and fragment) parameters that carry a visitor or click identifier. Their values are
 * redacted from every recorded URL by default. Names are compared in lower case.
 */
export const IDENTIFIER_PARAMS: ReadonlySet<string> = new Set([
  // Google Analytics / Ads: client id, user id, click ids
  'cid',
  'uid',
  '_ga',
  '_gid',
  '_gl',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'gclsrc',
  // Meta: browser and click ids
  'fbp',
  'fbc',
  '_fbp',
  '_fbc',
  'fbclid',
  // Microsoft, TikTok, X, LinkedIn, Yandex, Mailchimp, HubSpot
  'msclkid',
  'ttclid',
  'twclid',
  'li_fat_id',
  'yclid',
  'mc_eid',
  '_hsenc',
  // generic names
  'sid',
  'client_id',
  'clientid',
  'user_id',
  'userid',
  'visitor_id',
  'visitorid',
  'session_id',
  'sessionid',
  'device_id',
  'deviceid',
  'anonymous_id',
  'uuid',
  '_pk_id',
]);

/**
 * Which values are matched against recorded cookie values: identifiers are long and carry digits.
 * Short or word-like values (`reject`, `fr`, `true`) would match a consent or preference cookie by
 * accident and hide evidence (`ep.choice=reject`), so they never count.
 */
const MIN_MATCH_LENGTH = 8;
/** Long enough, and with a digit: a value that can single out a visitor (not `reject`, `fr`, `true`). */
export const looksLikeIdentifier = (value: string) => value.length >= MIN_MATCH_LENGTH && /\d/.test(value);

/**
 * A short, stable digest (FNV-1a, 2×32 bits, hex) of a value: enough to say "this URL parameter
 * carries that cookie's value" without keeping the value. Not a secret: a hash of a short
 * identifier can be brute-forced, which is why the report never carries the digests of cookies.
 */
export function valueDigest(value: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ value.length;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * Digests by which a URL parameter is recognised as a cookie value: the value itself and each of its
 * dot-separated tails (GA's `cid` is the `_ga` value without its `GA1.1.` prefix).
 */
export function identifierDigests(value: string): string[] {
  const digests: string[] = [];
  let rest = value;
  for (;;) {
    if (looksLikeIdentifier(rest)) digests.push(valueDigest(rest));
    const dot = rest.indexOf('.');
    if (dot === -1) break;
    rest = rest.slice(dot + 1);
  }
  return digests;
}

/** The value of a `name=value; attributes` cookie string, trimmed. */
export function cookieValueOf(raw: string): string {
  const semicolon = raw.indexOf(';');
  const pair = semicolon === -1 ? raw : raw.slice(0, semicolon);
  const eq = pair.indexOf('=');
  return (eq === -1 ? pair : pair.slice(eq + 1)).trim();
}

/** `[redacted:<length>:<digest>]`: the same value gives the same mark, so URLs still compare. */
export function redactedMark(value: string): string {
  return `[redacted:${value.length}:${valueDigest(value).slice(0, 8)}]`;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** Whether a raw (still encoded) value could decode to an identifier: decoding never lengthens, and a decoded digit is a digit or `%3x` in the raw. */
const mayBeIdentifier = (raw: string) => raw.length >= MIN_MATCH_LENGTH && /\d/.test(raw);

/**
 * The `a=b&c=d` parameters with identifier values redacted. Runs for every recorded URL, so a part is
 * decoded only when it could be redacted, and the input is returned as it is when nothing is.
 */
function redactParams(params: string, known: ReadonlySet<string>): string {
  let out: string[] | undefined; // parts, only once one is redacted
  let start = 0;
  for (let index = 0; start <= params.length; index++) {
    const amp = params.indexOf('&', start);
    const end = amp === -1 ? params.length : amp;
    const part = params.slice(start, end);
    const redacted = redactPart(part, known);
    if (redacted !== part && !out) out = params.slice(0, start).split('&').slice(0, index);
    if (out) out.push(redacted);
    if (amp === -1) break;
    start = amp + 1;
  }
  return out ? out.join('&') : params;
}

function redactPart(part: string, known: ReadonlySet<string>): string {
  const eq = part.indexOf('=');
  if (eq <= 0 || eq === part.length - 1) return part;
  const rawName = part.slice(0, eq);
  const rawValue = part.slice(eq + 1);
  const byName = IDENTIFIER_PARAMS.has(/[%+]/.test(rawName) ? decode(rawName).toLowerCase() : rawName.toLowerCase());
  if (!byName && !(known.size && mayBeIdentifier(rawValue))) return part;
  const value = /[%+]/.test(rawValue) ? decode(rawValue) : rawValue;
  if (!value || value.startsWith('[redacted:')) return part;
  const hit = byName || (looksLikeIdentifier(value) && known.has(valueDigest(value)));
  return hit ? `${rawName}=${redactedMark(value)}` : part;
}

/**
 * A URL with its identifiers redacted: known identifier parameters, and any parameter whose value
 * is a recorded cookie value (given as digests, see {@link identifierDigests}), in the query and
 * in a `#a=b&c=d` fragment. Everything else is kept byte for byte. Never throws.
 */
export function redactUrl(url: string, known: ReadonlySet<string> = new Set()): string {
  if (!url.includes('=')) return url;
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash + 1);
  const q = beforeHash.indexOf('?');
  const head = q === -1 ? beforeHash : beforeHash.slice(0, q + 1);
  const query = q === -1 ? '' : redactParams(beforeHash.slice(q + 1), known);
  const tail = hash === -1 ? '' : `#${fragment.includes('=') ? redactParams(fragment, known) : fragment}`;
  return head + query + tail;
}
