import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parsePolicy } from '../../lib/policy/load';

const root = join(__dirname, '../..');

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|svelte|html|json)$/.test(name) ? [path] : [];
  });
}

/** Every string value named `quote`, anywhere in a parsed policy. */
function quotes(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(quotes);
  if (!value || typeof value !== 'object') return [];
  const own = (value as { quote?: unknown }).quote;
  return [...(typeof own === 'string' ? [own] : []), ...Object.values(value).flatMap(quotes)];
}

describe('nothing in the code is specific to one audited site', () => {
  it('names o2toit only in the list of built-in policies', () => {
    const allowed = new Set(['lib/policy/builtin.ts']);
    const offenders = ['lib', 'entrypoints', 'components']
      .flatMap((dir) => files(join(root, dir)))
      .map((file) => relative(root, file))
      .filter((file) => !allowed.has(file) && !file.startsWith('lib/knowledge/data/'))
      .filter((file) => /o2toit/i.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('ships a second, generic example policy that parses and quotes its own text verbatim', () => {
    const text = readFileSync(join(root, 'policies/example-boutique.fr.json'), 'utf8');
    const source = readFileSync(join(root, 'policies/sources/example-boutique.fr.txt'), 'utf8');
    const result = parsePolicy(text);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const p = result.policy;
    expect(p.sites).toEqual(['example-boutique.fr']);
    expect(p.thirdParties.map((t) => t.vendor).sort()).toEqual(['axeptio', 'crisp', 'matomo', 'youtube']);
    expect(p.maxCookieLifetime).toMatchObject({ months: 6 });
    expect(p.cookies?.find((c) => c.name === '_pk_ses.')?.maxLifetime).toEqual({ minutes: 30 });
    const all = quotes(p);
    expect(all.length).toBeGreaterThan(15);
    for (const q of all) expect(source, q).toContain(q);
  });
});
