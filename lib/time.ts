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
  return new Date(clampTime(t)).toISOString();
}
