/**
 * Each hand-written JSON Schema in lib/schema/ against the TypeScript type it describes
 * (tests/unit/schema-vs-type.ts says what is compared, and why the schemas are not generated).
 * A field added to, removed from or made optional in a type, or a literal added to a union,
 * fails here until the schema says the same.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { compareTypeToSchema, exportedType } from './schema-vs-type';

const root = join(__dirname, '../..');

/** Each schema, the type it describes, and the paths where they differ on purpose (with why). */
const PAIRS: Array<{ schema: string; file: string; type: string; ignore?: Record<string, string> }> = [
  {
    schema: 'audit-report',
    file: 'lib/report/types.ts',
    type: 'AuditReport',
    ignore: {
      '/findings/[]/message/title/key':
        'a key of locales/en.json: tests/unit/i18n-messages.test.ts checks each one findings use, in both languages',
      '/findings/[]/message/detail/key': 'as for the title key',
    },
  },
  {
    schema: 'policy',
    file: 'lib/policy/types.ts',
    type: 'DeclaredPolicy',
    ignore: { '/$schema': "an editor's link to the schema in the data file; the program never reads it" },
  },
  {
    schema: 'knowledge',
    file: 'lib/knowledge/types.ts',
    type: 'KnowledgeBase',
    ignore: { '/$schema': "an editor's link to the schema in the data file; the program never reads it" },
  },
  { schema: 'catalog', file: 'lib/rules/catalog.ts', type: 'RuleCatalog' },
  { schema: 'cmp-hints', file: 'lib/consent/cmp-hints.ts', type: 'CmpHints' },
];

function libProgram(extra: Record<string, string> = {}): ts.Program {
  const file = join(root, 'tsconfig.lib.json');
  const { config } = ts.readConfigFile(file, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(file));
  const host = ts.createCompilerHost(parsed.options);
  const base = { ...host };
  host.fileExists = (f) => f in extra || base.fileExists(f);
  host.readFile = (f) => extra[f] ?? base.readFile(f);
  host.getSourceFile = (f, v, ...rest) =>
    f in extra ? ts.createSourceFile(f, extra[f]!, v) : base.getSourceFile(f, v, ...rest);
  return ts.createProgram({
    rootNames: [...PAIRS.map((p) => join(root, p.file)), ...Object.keys(extra)],
    options: parsed.options,
    host,
  });
}

const readSchema = (name: string) =>
  JSON.parse(readFileSync(join(root, `lib/schema/${name}.schema.json`), 'utf8')) as Record<string, unknown>;

describe('JSON Schemas match their TypeScript types', () => {
  const program = libProgram();
  const checker = program.getTypeChecker();

  for (const pair of PAIRS)
    it(`lib/schema/${pair.schema}.schema.json describes ${pair.type}`, () => {
      const type = exportedType(program, join(root, pair.file), pair.type);
      const ignore = Object.keys(pair.ignore ?? {});
      expect(compareTypeToSchema(checker, type, readSchema(pair.schema), { ignore })).toEqual([]);
    });
});

describe('the comparison', () => {
  const probe = join(root, 'lib/__schema-probe.ts');
  const program = libProgram({
    [probe]: `export interface Probe { name: string; kind?: 'a' | 'b'; tags: string[]; count: number; on: boolean;
      byKey: Record<string, { at: number }> }`,
  });
  const type = exportedType(program, probe, 'Probe');
  const good = {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'tags', 'count', 'on', 'byKey'],
    properties: {
      name: { type: 'string', minLength: 1 },
      kind: { enum: ['a', 'b'] },
      tags: { type: 'array', items: { type: 'string' } },
      count: { type: 'integer' },
      on: { type: 'boolean' },
      byKey: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          required: ['at'],
          properties: { at: { type: 'number' } },
        },
      },
    },
  };
  const compare = (schema: object) =>
    compareTypeToSchema(program.getTypeChecker(), type, schema as Record<string, unknown>).map((m) => m.path);
  const edit = (change: (s: typeof good) => void) => {
    const copy = structuredClone(good);
    change(copy);
    return compare(copy);
  };

  it('accepts a schema of the same shape', () => {
    expect(compare(good)).toEqual([]);
  });

  it('fails on each kind of drift', () => {
    expect(edit((s) => delete (s.properties as Partial<typeof s.properties>).count)).toEqual(['/count']);
    expect(edit((s) => Object.assign(s.properties, { extra: { type: 'string' } }))).toEqual(['/extra']);
    expect(edit((s) => s.required.push('kind'))).toEqual(['/kind']);
    expect(edit((s) => (s.required = s.required.filter((r) => r !== 'name')))).toEqual(['/name']);
    expect(edit((s) => (s.properties.kind.enum = ['a']))).toEqual(['/kind']);
    expect(edit((s) => (s.properties.tags.items.type = 'number'))).toEqual(['/tags/[]']);
    expect(edit((s) => (s.properties.on.type = 'string'))).toEqual(['/on']);
    expect(edit((s) => (s.properties.byKey.additionalProperties.properties.at.type = 'string'))).toEqual([
      '/byKey/*/at',
    ]);
  });
});
