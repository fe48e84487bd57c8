/**
 * Every `expect.poll` of the end-to-end suite passes its options (tests/e2e/poll.ts): the 1 s default
 * fails on a loaded 2-core machine. Reads the sources; a call is `.poll(` with its arguments up to the
 * matching parenthesis.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const E2E = join(__dirname, '../e2e');

/** The top-level arguments of each `.poll(` call in `source`, as text. */
export function pollCalls(source: string): string[][] {
  const calls: string[][] = [];
  for (const match of source.matchAll(/\.poll\(/g)) {
    let depth = 1;
    let start = match.index + match[0].length;
    const args: string[] = [];
    let i = start;
    for (; i < source.length && depth > 0; i++) {
      const ch = source[i];
      if (ch === '(' || ch === '[' || ch === '{') depth++;
      else if (ch === ')' || ch === ']' || ch === '}') depth--;
      else if (ch === ',' && depth === 1) {
        args.push(source.slice(start, i).trim());
        start = i + 1;
      }
    }
    args.push(source.slice(start, i - 1).trim());
    calls.push(args.filter((a) => a !== ''));
  }
  return calls;
}

describe('expect.poll in the end-to-end suite', () => {
  it('finds the arguments of a call', () => {
    expect(pollCalls('await expect.poll(() => f(a, b)).toBe(1)')).toEqual([['() => f(a, b)']]);
    expect(pollCalls('expect\n  .poll(() => g({ x: 1 }), POLL,\n)')).toEqual([['() => g({ x: 1 })', 'POLL']]);
  });

  const files = readdirSync(E2E, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    it(`${file}: every poll passes POLL`, () => {
      for (const args of pollCalls(readFileSync(join(E2E, file), 'utf8')))
        expect(args[1] ?? 'no options', args[0]).toMatch(/\bPOLL\b/);
    });
  }
});
