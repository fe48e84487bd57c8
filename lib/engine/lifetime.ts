/**
 * Lifetimes as the CNIL counts them: "13 months" means calendar months from the moment the cookie
 * is set (about 395–397 days), not a fixed number of days.
 */

import type { DeclaredLifetime } from '../policy/types';

export { isoTime } from '../time';

export const DAY_MS = 86_400_000;

/** Browsers (Chrome 104+, Firefox 103+) store at most 400 days, whatever the site asked for. */
export const BROWSER_CAP_DAYS = 400;

/**
 * Clock skew we forgive between a server's `Expires` date and the moment we observed the cookie:
 * a cookie set to "exactly 13 months" by a server whose clock runs ahead is not a violation.
 */
export const SKEW_TOLERANCE_MS = 60_000;

/** Adds calendar months in UTC, clamping to the end of shorter months (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsUtc(time: number, months: number): number {
  const d = new Date(time);
  const day = d.getUTCDate();
  const target = new Date(time);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.getTime();
}

/** The latest allowed expiry for something set at `setAt` under a declared lifetime. */
export function lifetimeLimit(setAt: number, lifetime: DeclaredLifetime): number {
  let limit = setAt;
  if (lifetime.months) limit = addMonthsUtc(limit, lifetime.months);
  if (lifetime.days) limit += lifetime.days * DAY_MS;
  if (lifetime.minutes) limit += lifetime.minutes * 60_000;
  return limit;
}

export function exceedsLifetime(setAt: number, expiry: number, lifetime: DeclaredLifetime): boolean {
  return expiry > lifetimeLimit(setAt, lifetime) + SKEW_TOLERANCE_MS;
}

/** Days between two instants, to one decimal, for human-readable evidence. */
export function daysBetween(from: number, to: number): number {
  return Math.round(((to - from) / DAY_MS) * 10) / 10;
}

export function describeLifetime(lifetime: DeclaredLifetime): string {
  const parts: string[] = [];
  if (lifetime.months) parts.push(`${lifetime.months} month${lifetime.months === 1 ? '' : 's'}`);
  if (lifetime.days) parts.push(`${lifetime.days} day${lifetime.days === 1 ? '' : 's'}`);
  if (lifetime.minutes) parts.push(`${lifetime.minutes} minute${lifetime.minutes === 1 ? '' : 's'}`);
  return parts.join(' and ') || 'unspecified';
}
