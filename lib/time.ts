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
 * ISO 8601 for any number: an out-of-range or NaN time (a `Max-Age` of 99999999999999 seconds)
 * clamps instead of throwing RangeError, which once stopped every report.
 */
export function isoTime(t: number): string {
  const clamped = Math.trunc(clampTime(t)); // as a Date does
  const ms = ((clamped % DAY_MS) + DAY_MS) % DAY_MS;
  const day = clamped - ms;
  let date = dates.get(day);
  if (date === undefined) {
    if (dates.size >= DATES_MAX) dates.clear();
    dates.set(day, (date = new Date(day).toISOString().slice(0, 11)));
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const sec = Math.floor(ms / 1000) % 60;
  const milli = Math.floor(ms % 1000);
  return `${date}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/**
 * The `YYYY-MM-DDT` of each day already written. A report writes tens of thousands of times, most
 * of them on the same few days, and building a Date for each was the costly part of formatting:
 * the date comes from here and the time of day is plain arithmetic (same text as `toISOString`).
 */
const dates = new Map<number, string>();
const DATES_MAX = 10_000;
const DAY_MS = 86_400_000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
