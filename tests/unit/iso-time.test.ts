import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clampTime, isoTime, MAX_TIME, MIN_TIME } from '../../lib/time';

/** isoTime formats by arithmetic over a cached date; it must write exactly what a Date writes. */
describe('isoTime', () => {
  const reference = (t: number) => new Date(clampTime(t)).toISOString();

  it('writes what Date#toISOString writes, for any time (fractions, negatives, day edges, clamped ends)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: MIN_TIME - 1000, max: MAX_TIME + 1000 }),
          fc.double({ min: -1e15, max: 1e15, noNaN: true }),
          fc.integer({ min: -3, max: 3 }).map((d) => d * 86_400_000 + (d % 2)),
          fc.constantFrom(NaN, Infinity, -Infinity, -0.5, -1.5, 0.999, MAX_TIME, MIN_TIME),
        ),
        (t) => {
          expect(isoTime(t)).toBe(reference(t));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
