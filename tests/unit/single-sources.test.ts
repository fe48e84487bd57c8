/**
 * Rule ids have one source, `RULE_IDS` (lib/findings.ts). The compiler holds `RULES` to it
 * (`satisfies Record<RuleId, Rule>`); this test holds the data and the documents to it: the
 * catalogue, the report schema's rule enum, and the README's rule table. And a few names that
 * once had two definitions have one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../lib/findings';
import { RULES } from '../../lib/rules';
import catalog from '../../lib/rules/catalog.json';
import reportSchema from '../../lib/schema/audit-report.schema.json';

const root = join(__dirname, '../..');
const sorted = (ids: Iterable<string>) => [...ids].sort();

/**
 * The rule ids of the README's rule table: the first column of the table under the heading
 * `### Rules`, each a `code` span.
 */
export function readmeRuleIds(markdown: string): string[] {
  const section = /^### Rules\n([\s\S]*?)(?=^#{1,3} )/m.exec(markdown)?.[1];
  if (!section) throw new Error('README.md has no "### Rules" section');
  const table = section.split('\n').filter((line) => line.startsWith('|'));
  const [header, rule, ...rows] = table;
  if (!header || !rule?.startsWith('| ---')) throw new Error('the "### Rules" section has no table');
  return rows.map((row) => {
    const id = /^\|\s*`([^`]+)`\s*\|/.exec(row)?.[1];
    if (!id) throw new Error(`README rule table row without a rule id: ${row}`);
    return id;
  });
}

describe('one list of rule ids', () => {
  const ids = sorted(RULE_IDS);

  it('has no duplicate', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
  });

  it('RULES implements exactly RULE_IDS', () => {
    expect(sorted(Object.keys(RULES))).toEqual(ids);
  });

  it('catalog.json describes exactly RULE_IDS', () => {
    expect(sorted(Object.keys(catalog.rules))).toEqual(ids);
  });

  it("the report schema's rule enum is RULE_IDS", () => {
    expect(sorted(reportSchema.definitions.rule.enum)).toEqual(ids);
  });

  it("the README's rule table lists RULE_IDS once each", () => {
    const listed = readmeRuleIds(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(sorted(listed)).toEqual(ids);
  });

  it('reads a rule table the way a reader does', () => {
    const table =
      '### Rules\n\n| id | what |\n| --- | --- |\n| `a-rule` | x |\n| `b-rule` | y |\n\n## Next\n| `c` | z |\n';
    expect(readmeRuleIds(table)).toEqual(['a-rule', 'b-rule']);
    expect(() => readmeRuleIds('### Rules\n\n| id | what |\n| --- | --- |\n| a-rule | x |\n\n## Next\n')).toThrow();
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

describe('one name for one thing', () => {
  const files = ['lib', 'entrypoints', 'components', 'scripts'].flatMap((d) => sourceFiles(join(root, d)));
  /** Files that declare `name` (a declaration, not an import: `type X,` in an import list is not one). */
  const declarations = (name: string) =>
    files.flatMap((file) => {
      const pattern = new RegExp(
        `^\\s*(?:export\\s+)?(?:declare\\s+)?(?:interface|type|function|class|const|let)\\s+${name}\\s*[=<{(:]`,
        'gm',
      );
      return [...readFileSync(file, 'utf8').matchAll(pattern)].map(() => relative(root, file));
    });

  it.each([
    ['Knowledge', 'lib/knowledge/types.ts'],
    ['hostOf', 'lib/site.ts'],
    ['Sender', 'lib/messages.ts'],
    ['RuleId', 'lib/findings.ts'],
  ])('%s is declared once, in %s', (name, home) => {
    expect(declarations(name)).toEqual([home]);
  });

  it('Classifier is gone: a knowledge source is a Knowledge', () => {
    expect(declarations('Classifier')).toEqual([]);
  });
});
