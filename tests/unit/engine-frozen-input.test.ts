import { describe, expect, it } from 'vitest';
import type { Observation } from '../../lib/observations';
import { buildSnapshot, snapshotCases } from './engine-snapshot-cases';

/**
 * The store hands every report the same observation objects it keeps in memory for a running audit
 * (lib/store/audit-store.ts): the engine must never change them. Every snapshot case is run over
 * deeply frozen observations (a write to one throws in a module) and must report the same.
 */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('the engine never changes the observations it is given', () => {
  for (const c of snapshotCases()) {
    it(
      c.name,
      () => {
        const expected = buildSnapshot(c);
        const observations = deepFreeze(structuredClone(c.input.observations) as Observation[]);
        // The digest covers `errors`: a write that threw inside a guarded part would show there.
        expect(buildSnapshot({ ...c, input: { ...c.input, observations } })).toEqual(expected);
      },
      60_000,
    ); // the large visits, on a loaded machine
  }
});
