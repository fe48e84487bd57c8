/** Times the report can always write: clamped to four-digit ISO 8601 years, never a RangeError. */

/**
 * Latest instant we represent (ms since the epoch): 9999-12-31T23:59:59.999Z, the last one ISO 8601
 * writes with a four-digit year (a Date goes further, to +275760, which the report schema refuses).
 * Later dates clamp to it: `Max-Age=99999999999999` asks for "as long as can be", and gets that.
 */
export const MAX_TIME = 253_402_300_799_999;
/** Earliest instant we represent: 0000-01-01T00:00:00.000Z. */
export const MIN_TIME = -62_167_219_200_000;

/** Clamps a time to what we represent, so formatting it can never throw. NaN becomes 0. */
export function clampTime(t: number): number {
  if (Number.isNaN(t)) return 0;
  return Math.min(MAX_TIME, Math.max(MIN_TIME, t));
}

/**
 * ISO 8601 with the local zone's offset for any number (`2026-12-01T12:04:13.793+01:00`): local
 * time as the officer's clock showed it, and still one exact instant. The zone is the one of the
 * context building the report (the auditor's browser); {@link localTimeZone} names it. An
 * out-of-range or NaN time (a `Max-Age` of 99999999999999 seconds) clamps instead of throwing
 * RangeError, which once stopped every report; at the very edges, where the offset would push the
 * year past four digits, the time is written in UTC (`Z`).
 */
export function isoTime(t: number): string {
  const instant = new Date(clampTime(t));
  // Whole minutes: before 1900 some zones had offsets in seconds (local mean time).
  const offset = -Math.round(instant.getTimezoneOffset());
  const shifted = instant.getTime() + offset * 60_000;
  if (!Number.isFinite(offset) || shifted > MAX_TIME || shifted < MIN_TIME) return instant.toISOString();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(shifted).toISOString().slice(0, -1)}${zone}`;
}

/** The IANA name of the local time zone (`Europe/Paris`), or undefined where the platform does not say. */
export function localTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A time for people: local date, time and zone (`1 déc. 2026, 12:04:13 UTC+1`), in the reader's
 * language. Takes an ISO string or ms since the epoch.
 */
export function localTime(t: string | number, locale?: string, { ms: withMs = false } = {}): string {
  const ms = typeof t === 'number' ? clampTime(t) : Date.parse(t);
  if (Number.isNaN(ms)) return String(t);
  return new Intl.DateTimeFormat(locale, {
    ...(withMs ? { fractionalSecondDigits: 3 as const } : {}),
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  }).format(ms);
}
