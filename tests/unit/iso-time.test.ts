import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampTime, isoTime, MAX_TIME, MIN_TIME } from '../../lib/time';

/** isoTime writes local time with its offset; whatever the input, the text must name the instant a Date holds. */
describe('isoTime', () => {
  const reference = (t: number) => new Date(clampTime(t)).getTime();

  it('names the instant a Date holds, for any time (fractions, negatives, day edges, clamped ends)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: MIN_TIME - 1000, max: MAX_TIME + 1000 }),
          fc.double({ min: -1e15, max: 1e15, noNaN: true }),
          fc.integer({ min: -3, max: 3 }).map((d) => d * 86_400_000 + (d % 2)),
          fc.constantFrom(NaN, Infinity, -Infinity, -0.5, -1.5, 0.999, MAX_TIME, MIN_TIME),
        ),
        (t) => {
          const text = isoTime(t);
          expect(text).toMatch(/(Z|[+-]\d\d:\d\d)$/);
          expect(Date.parse(text)).toBe(reference(t));
        },
      ),
      { numRuns: 2000 },
    );
  });

  /** The text as Date's own formatting writes it: the arithmetic date must agree with it on every day. */
  const written = (t: number) => {
    const instant = new Date(clampTime(t));
    const offset = -Math.round(instant.getTimezoneOffset());
    const shifted = instant.getTime() + offset * 60_000;
    if (shifted > MAX_TIME || shifted < MIN_TIME) return instant.toISOString();
    const abs = Math.abs(offset);
    const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${new Date(shifted).toISOString().slice(0, -1)}${zone}`;
  };

  it("writes what Date's own formatting writes: every day from 1890 to 2110, and any time", () => {
    for (let day = Date.UTC(1890, 0, 1) / 86_400_000; day < Date.UTC(2110, 0, 1) / 86_400_000; day++) {
      const t = day * 86_400_000 + ((day * 7_919_993) % 86_400_000);
      if (isoTime(t) !== written(t)) expect(isoTime(t)).toBe(written(t));
    }
    fc.assert(
      fc.property(fc.integer({ min: MIN_TIME - 1000, max: MAX_TIME + 1000 }), (t) => {
        expect(isoTime(t)).toBe(written(t));
      }),
      { numRuns: 5000 },
    );
  });
});
