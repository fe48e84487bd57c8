/**
 * Cookie values are identifiers: the report keeps names, attributes and lengths, never values, so an
 * exported report cannot itself leak a visitor's identifiers.
 */
export function redactCookieString(raw: string): string {
  const semicolon = raw.indexOf(';');
  const pair = semicolon === -1 ? raw : raw.slice(0, semicolon);
  const rest = semicolon === -1 ? '' : raw.slice(semicolon);
  const eq = pair.indexOf('=');
  if (eq === -1) return `<redacted:${pair.trim().length}>${rest}`.slice(0, 1024);
  const value = pair.slice(eq + 1).trim();
  return `${pair.slice(0, eq).trim()}=<redacted:${value.length}>${rest}`.slice(0, 1024);
}

export {
  IDENTIFIER_PARAMS,
  cookieValueOf,
  identifierDigests,
  redactUrl,
  redactedMark,
  valueDigest,
} from '../identifiers';
