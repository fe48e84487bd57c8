/**
 * Part of `scripts/lint-data.ts`: what the extension itself will parse, parsed by the extension's
 * own code (not Ajv): every shipped policy through `parsePolicy` (migration, validator, duplicate
 * sites), its quotes against its source text when `policies/sources/<id>.txt` exists, no site
 * claimed by two policies, and the import fixtures through the Open Cookie Database and
 * filter-list parsers.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFilterList } from '../lib/knowledge/filter-list.ts';
import { parseOpenCookieDatabase } from '../lib/knowledge/import-ocd.ts';
import { parsePolicy } from '../lib/policy/load.ts';

type Print = (file: string, problems: Array<{ path: string; message: string }>, label?: string) => void;

function quotes(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(quotes);
  if (!value || typeof value !== 'object') return [];
  const own = (value as { quote?: unknown }).quote;
  return [...(typeof own === 'string' ? [own] : []), ...Object.values(value).flatMap(quotes)];
}

export function lintImports(root: string, print: Print): void {
  const owners = new Map<string, string>();
  const dir = join(root, 'policies');
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = `policies/${name}`;
    const result = parsePolicy(readFileSync(join(root, file), 'utf8'));
    if (!result.ok) {
      print(
        file,
        result.errors.map((e) => ({
          path: `${e.line !== undefined ? `line ${e.line} ` : ''}${e.path}`,
          message: e.message,
        })),
        ' (parsePolicy)',
      );
      continue;
    }
    const problems: Array<{ path: string; message: string }> = [];
    for (const site of result.policy.sites) {
      const owner = owners.get(site);
      if (owner) problems.push({ path: '/sites', message: `${site} is also claimed by ${owner}` });
      owners.set(site, file);
    }
    const source = join(dir, 'sources', `${result.policy.id}.txt`);
    if (existsSync(source)) {
      const text = readFileSync(source, 'utf8');
      for (const q of quotes(result.policy))
        if (!text.includes(q))
          problems.push({ path: 'refs', message: `quote not in sources/${result.policy.id}.txt: ${q}` });
    }
    print(file, problems, ` (parsePolicy${existsSync(source) ? ', quotes' : ''})`);
  }
  const fixtures = join(root, 'tests/fixtures/imports');
  if (!existsSync(fixtures)) return;
  for (const name of readdirSync(fixtures).sort()) {
    const file = `tests/fixtures/imports/${name}`;
    const text = readFileSync(join(root, file), 'utf8');
    const result = name.endsWith('.csv')
      ? parseOpenCookieDatabase(text, name)
      : name.endsWith('.txt')
        ? parseFilterList(text, name)
        : undefined;
    if (!result) continue;
    print(
      file,
      result.ok
        ? []
        : result.errors.map((e) => ({
            path: `line ${e.line}${'field' in e && e.field ? ` ${e.field}` : ''}`,
            message: e.message,
          })),
      ' (import parser)',
    );
  }
}
