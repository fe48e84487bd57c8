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
  const clamped = Math.trunc(clampTime(t)); // as a Date holds it
  // Whole minutes: before 1900 some zones had offsets in seconds (local mean time).
  const offset = -Math.round(new Date(clamped).getTimezoneOffset());
  const shifted = clamped + offset * 60_000;
  if (!Number.isFinite(offset) || shifted > MAX_TIME || shifted < MIN_TIME) return new Date(clamped).toISOString();
  // A report writes tens of thousands of times, most of them on a few days and in one zone: the
  // date and the zone are written once each (pure functions of the day and of the offset), the
  // time of day by arithmetic. The offset itself is asked of the platform on every call.
  const day = Math.floor(shifted / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDayText = civilDate(day);
  }
  if (offset !== lastOffset) {
    lastOffset = offset;
    const abs = Math.abs(offset);
    lastZoneText = `${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }
  const ms = shifted - day * DAY_MS;
  const seconds = Math.floor(ms / 1000);
  const millis = ms - seconds * 1000;
  return `${lastDayText}${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}${lastZoneText}`;
}

const DAY_MS = 86_400_000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** The last day written (days since the epoch, local) and its `YYYY-MM-DDT`; the last offset and its `+01:00`. */
let lastDay = NaN;
let lastDayText = '';
let lastOffset = NaN;
let lastZoneText = '';

/**
 * `YYYY-MM-DDT` of a day (days since 1970-01-01, years 0 to 9999), as `toISOString` writes it, by
 * arithmetic (proleptic Gregorian calendar; H. Hinnant's `civil_from_days`).
 */
function civilDate(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}T`;
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
