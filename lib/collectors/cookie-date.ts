/**
 * The cookie-date algorithm of RFC 6265bis §5.1.1, as Chromium (`cookie_util::ParseCookieExpirationTime`)
 * and Firefox implement it. It is not `Date.parse`: the string is cut into tokens at delimiters, and
 * each token is tried, in order, as a time, a day of month, a month and a year; anything else is
 * skipped. So `Wed, 01 Jan 2031 00:00:00 GMTx` is a valid date (the junk token is ignored), while
 * `2031-01-01` is not (no month name). Pure; never throws.
 */
import { clampTime } from '../time';

// delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
// eslint-disable-next-line no-control-regex
const DELIMITERS = /[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// hms-time = time-field ":" time-field ":" time-field, then ( non-digit *OCTET )
const TIME = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?$/s;
// day-of-month = 1*2DIGIT and year = 2*4DIGIT. The RFC lets both end in junk (`2031x`); Chromium and
// Firefox both refuse such a token (tests/unit/data/set-cookie-corpus.json), so we do too.
const DAY = /^(\d{1,2})$/;
const YEAR = /^(\d{2,4})$/;

/**
 * Whose reading of a cookie date to follow where the browsers differ (recorded in the corpus):
 * Chromium follows §5.1.1 strictly; Firefox also accepts a date with no time (midnight) and rolls
 * an out-of-range day or hour over (31 April is 1 May, 24:00 is midnight the next day).
 */
export type CookieFlavor = 'chromium' | 'firefox';

/** Earliest year the algorithm accepts; earlier years clamp to it, so the date lies in the past. */
const FIRST_YEAR = 1601;

/**
 * Parses a cookie date into ms since the epoch (UTC), or undefined when the algorithm fails
 * (a missing part, an out-of-range field, a day the month does not have, a year before 1601).
 * Years past what a Date holds clamp to {@link MAX_TIME}.
 */
export function parseCookieDate(text: string, flavor: CookieFlavor = 'chromium'): number | undefined {
  let time: [number, number, number] | undefined;
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  for (const token of text.split(DELIMITERS)) {
    if (!token) continue;
    let m: RegExpMatchArray | null;
    if (!time && (m = TIME.exec(token))) {
      time = [Number(m[1]), Number(m[2]), Number(m[3])];
      continue;
    }
    if (day === undefined && (m = DAY.exec(token))) {
      day = Number(m[1]);
      continue;
    }
    if (month === undefined) {
      const i = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
      if (i !== -1) {
        month = i;
        continue;
      }
    }
    if (year === undefined && (m = YEAR.exec(token))) {
      year = Number(m[1]);
      continue;
    }
  }
  const lenient = flavor === 'firefox';
  if (!time && lenient) time = [0, 0, 0];
  if (!time || day === undefined || month === undefined || year === undefined) return undefined;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  // Both browsers treat a year before 1601 as a date in the past (the cookie is not stored).
  if (year < FIRST_YEAR) year = FIRST_YEAR - 1;
  const [hour, minute, second] = time;
  if (day < 1 || day > 31 || hour > (lenient ? 24 : 23) || minute > 59 || second > 59) return undefined;
  // A day the month does not have (31 April, 29 February 2027) fails in Chromium, rolls over in Firefox.
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (day > lastDay && !lenient) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, minute, second, 0);
  return clampTime(d.getTime());
}
