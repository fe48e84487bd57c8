/**
 * Validates the data files against their JSON Schemas (run: `npx tsx scripts/lint-data.ts`):
 *   lib/knowledge/data/*.json  against lib/schema/knowledge.schema.json
 *   policies/*.json            against lib/schema/policy.schema.json (skipped if that schema is absent),
 *                              then through the extension's own parsers (scripts/lint-imports.ts)
 * Prints one line per file and, for each error, the file, the JSON path and the message.
 * Exits 1 on any error. Ajv runs here, at build time; the extension itself cannot use it (CSP).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import { lintImports } from './lint-imports.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** One problem in one file; `path` is a JSON Pointer into it. */
interface Problem {
  path: string;
  message: string;
}

let failed = false;

function print(file: string, problems: Problem[], label = ''): void {
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${file}${label}`);
  // stdout for both, so each error stays under its file line in CI logs.
  for (const { path, message } of problems) console.log(`  ${file}: ${path || '/'} ${message}`);
  if (problems.length) failed = true;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(root, file), 'utf8'));
}

/** Ajv's default class speaks draft-07; a schema declaring 2020-12 needs the other build. */
function compile(schemaFile: string): ValidateFunction | undefined {
  try {
    const schema = readJson(schemaFile) as { $schema?: string };
    const ajv = schema.$schema?.includes('2020-12') ? new Ajv2020({ allErrors: true }) : new Ajv({ allErrors: true });
    return ajv.compile(schema);
  } catch (error) {
    print(schemaFile, [{ path: '', message: `schema does not compile: ${(error as Error).message}` }]);
    return undefined;
  }
}

function describe(error: ErrorObject): string {
  const params = error.params as { additionalProperty?: string; allowedValues?: unknown[] };
  let extra = '';
  if (error.keyword === 'additionalProperties') extra = ` (${params.additionalProperty})`;
  if (error.keyword === 'enum') extra = `: ${params.allowedValues?.join(', ')}`;
  return `${error.message ?? error.keyword}${extra}`;
}

/** What a schema cannot express: unique vendor ids, and regexes that compile. */
function knowledgeChecks(data: unknown): Problem[] {
  const problems: Problem[] = [];
  const vendors = (data as { vendors?: { id?: string; cookies?: unknown; storageKeys?: unknown }[] }).vendors;
  const ids = new Set<string>();
  (Array.isArray(vendors) ? vendors : []).forEach((vendor, i) => {
    if (vendor.id && ids.has(vendor.id))
      problems.push({ path: `/vendors/${i}/id`, message: `duplicate id "${vendor.id}"` });
    if (vendor.id) ids.add(vendor.id);
    for (const kind of ['cookies', 'storageKeys'] as const) {
      const patterns = vendor[kind];
      if (!Array.isArray(patterns)) continue;
      patterns.forEach((p: { pattern?: unknown; match?: unknown }, j) => {
        if (p.match !== 'regex' || typeof p.pattern !== 'string') return;
        try {
          new RegExp(p.pattern);
        } catch (error) {
          problems.push({ path: `/vendors/${i}/${kind}/${j}/pattern`, message: (error as Error).message });
        }
      });
    }
  });
  return problems;
}

function lintFolder(folder: string, schemaFile: string, extra?: (data: unknown) => Problem[]): void {
  if (!existsSync(join(root, schemaFile))) {
    console.log(`skip ${folder}/*.json: ${schemaFile} does not exist yet`);
    return;
  }
  const dir = join(root, folder);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (files.length === 0) {
    console.log(`skip ${folder}/*.json: no files`);
    return;
  }
  const validate = compile(schemaFile);
  if (!validate) return;
  for (const name of files) {
    const file = relative(root, join(dir, name));
    let data: unknown;
    try {
      data = readJson(file);
    } catch (error) {
      print(file, [{ path: '', message: `invalid JSON: ${(error as Error).message}` }]);
      continue;
    }
    validate(data);
    const problems = (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: describe(e) }));
    print(file, [...problems, ...(extra?.(data) ?? [])], ` (${schemaFile})`);
  }
}

lintFolder('lib/knowledge/data', 'lib/schema/knowledge.schema.json', knowledgeChecks);
lintFolder('policies', 'lib/schema/policy.schema.json');
lintImports(root, print);
process.exit(failed ? 1 : 0);
