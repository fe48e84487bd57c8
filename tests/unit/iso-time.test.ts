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
});
