import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, snapshotCases, type SnapshotEntry } from './engine-snapshot-cases';

/**
 * The engine computes its analysis once (lib/engine/analyze.ts). This proves it reports exactly
 * what the engine reported before that change: the digests were written by tests/unit/engine-snapshot-write.ts (npx tsx)
 * from the engine as it was, for every rule vector and for large generated visits.
 */
const stored = JSON.parse(readFileSync(join(import.meta.dirname, 'data/engine-snapshot.json'), 'utf8')) as {
  cases: Record<string, SnapshotEntry>;
};

describe('engine snapshot: reports stay byte-identical', () => {
  const cases = snapshotCases();

  it('covers every stored case, and the stored cases find something', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(stored.cases).sort());
    expect(Object.values(stored.cases).filter((e) => e.findings > 0).length).toBeGreaterThan(40);
  });

  for (const c of cases) {
    it(c.name, () => {
      expect(buildSnapshot(c)).toEqual(stored.cases[c.name]);
    });
  }
});
