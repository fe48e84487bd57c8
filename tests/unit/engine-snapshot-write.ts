/**
 * Writes tests/unit/data/engine-snapshot.json: the digest of the report the engine builds for every
 * rule vector and for large generated visits (tests/unit/engine-snapshot-cases.ts). Run it only when
 * what the engine reports is meant to change, never to make a speed-up pass.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSnapshot, snapshotCases } from './engine-snapshot-cases.ts';

const cases = Object.fromEntries(snapshotCases().map((c) => [c.name, buildSnapshot(c)]));
const file = join(import.meta.dirname, 'data/engine-snapshot.json');
writeFileSync(file, `${JSON.stringify({ generatedBy: 'tests/unit/engine-snapshot-write.ts', cases }, null, 2)}\n`);
console.log(`${Object.keys(cases).length} reports → ${file}`);
