import { describe, expect, it } from 'vitest';
import { addMonthsUtc, exceedsLifetime, lifetimeLimit } from '../../lib/engine/lifetime';

const t = (iso: string) => Date.parse(iso);

describe('calendar-month lifetimes', () => {
  it('adds calendar months, clamping to shorter months and across leap years', () => {
    expect(addMonthsUtc(t('2026-03-10T09:00:00Z'), 13)).toBe(t('2027-04-10T09:00:00Z'));
    expect(addMonthsUtc(t('2026-01-31T00:00:00Z'), 13)).toBe(t('2027-02-28T00:00:00Z'));
    expect(addMonthsUtc(t('2027-01-31T00:00:00Z'), 13)).toBe(t('2028-02-29T00:00:00Z'));
    expect(addMonthsUtc(t('2026-12-15T00:00:00Z'), 1)).toBe(t('2027-01-15T00:00:00Z'));
  });

  it('13 months is 395 to 397 days depending on the start', () => {
    const days = ['2026-01-15', '2026-03-01', '2026-07-31', '2027-08-01'].map(
      (d) => (lifetimeLimit(t(`${d}T00:00:00Z`), { months: 13 }) - t(`${d}T00:00:00Z`)) / 86_400_000,
    );
    for (const d of days) expect(d).toBeGreaterThanOrEqual(395);
    for (const d of days) expect(d).toBeLessThanOrEqual(397);
  });

  it('forgives a minute of clock skew, not more', () => {
    const set = t('2026-03-10T09:00:00Z');
    const limit = t('2027-04-10T09:00:00Z');
    expect(exceedsLifetime(set, limit + 59_000, { months: 13 })).toBe(false);
    expect(exceedsLifetime(set, limit + 61_000, { months: 13 })).toBe(true);
  });

  it('supports day-based and mixed lifetimes', () => {
    const set = t('2026-03-10T00:00:00Z');
    expect(lifetimeLimit(set, { days: 30 })).toBe(t('2026-04-09T00:00:00Z'));
    expect(lifetimeLimit(set, { months: 1, days: 1 })).toBe(t('2026-04-11T00:00:00Z'));
  });
});
