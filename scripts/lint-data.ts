/**
 * Validates the data files against their JSON Schemas (run: `npx tsx scripts/lint-data.ts`):
 *   lib/knowledge/data/*.json  against lib/schema/knowledge.schema.json (cloaking.json: cloaking.schema.json,
 *                              every vendor exists and every shape compiles)
 *   lib/rules/catalog.json     against lib/schema/catalog.schema.json, and every cited key and vendor exists
 *   lib/consent/cmp-hints.json against lib/schema/cmp-hints.schema.json, and every pattern compiles
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
import type { CmpHints } from '../lib/consent/cmp-hints.ts';
import type { CloakingList } from '../lib/knowledge/cloaking.ts';
import type { RuleCatalog } from '../lib/rules/catalog.ts';
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

/**
 * What a schema cannot express: unique vendor ids, regexes that compile (name patterns and protocol
 * parameters), and protocol names unique across the base (they are what `matchedBy` shows).
 */
function knowledgeChecks(data: unknown): Problem[] {
  const problems: Problem[] = [];
  const vendors = (
    data as {
      vendors?: {
        id?: string;
        cookies?: unknown;
        storageKeys?: unknown;
        protocols?: { name: string; query: { pattern: string }[] }[];
      }[];
    }
  ).vendors;
  const protocolNames = new Set<string>();
  const ids = new Set<string>();
  (Array.isArray(vendors) ? vendors : []).forEach((vendor, i) => {
    if (vendor.id && ids.has(vendor.id))
      problems.push({ path: `/vendors/${i}/id`, message: `duplicate id "${vendor.id}"` });
    if (vendor.id) ids.add(vendor.id);
    (vendor.protocols ?? []).forEach((protocol, j) => {
      if (protocolNames.has(protocol.name))
        problems.push({ path: `/vendors/${i}/protocols/${j}/name`, message: `duplicate protocol "${protocol.name}"` });
      protocolNames.add(protocol.name);
      protocol.query.forEach((q, k) =>
        problems.push(...regexProblem(q.pattern, `/vendors/${i}/protocols/${j}/query/${k}/pattern`)),
      );
    });
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

/** Files of a linted folder that have a schema of their own (linted by `lintFile`). */
const OWN_SCHEMA = new Set(['lib/knowledge/data/cloaking.json']);

function lintFolder(folder: string, schemaFile: string, extra?: (data: unknown) => Problem[]): void {
  if (!existsSync(join(root, schemaFile))) {
    console.log(`skip ${folder}/*.json: ${schemaFile} does not exist yet`);
    return;
  }
  const dir = join(root, folder);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json') && !OWN_SCHEMA.has(`${folder}/${f}`))
        .sort()
    : [];
  if (files.length === 0) {
    console.log(`skip ${folder}/*.json: no files`);
    return;
  }
  const validate = compile(schemaFile);
  if (!validate) return;
  for (const name of files) lintWith(validate, relative(root, join(dir, name)), schemaFile, extra);
}

function lintWith(
  validate: ValidateFunction,
  file: string,
  schemaFile: string,
  extra?: (data: unknown) => Problem[],
): void {
  let data: unknown;
  try {
    data = readJson(file);
  } catch (error) {
    print(file, [{ path: '', message: `invalid JSON: ${(error as Error).message}` }]);
    return;
  }
  validate(data);
  const problems = (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: describe(e) }));
  // The extra checks assume the shape; they run on a file the schema accepts.
  print(file, [...problems, ...(problems.length ? [] : (extra?.(data) ?? []))], ` (${schemaFile})`);
}

function lintFile(file: string, schemaFile: string, extra?: (data: unknown) => Problem[]): void {
  const validate = compile(schemaFile);
  if (validate) lintWith(validate, file, schemaFile, extra);
}

function regexProblem(pattern: string, path: string): Problem[] {
  try {
    new RegExp(pattern);
    return [];
  } catch (error) {
    return [{ path, message: (error as Error).message }];
  }
}

/** What the catalogue's schema cannot express: each cited legal reference and vendor exists. */
function catalogChecks(data: unknown): Problem[] {
  const catalog = data as RuleCatalog;
  const vendors = new Set(
    (readJson('lib/knowledge/data/vendors.json') as { vendors: Array<{ id: string }> }).vendors.map((v) => v.id),
  );
  return Object.entries(catalog.rules).flatMap(([id, rule]) => [
    ...rule.legalRefs
      .map((key, i) => ({ key, i }))
      .filter(({ key }) => !(key in catalog.legalRefs))
      .map(({ key, i }) => ({ path: `/rules/${id}/legalRefs/${i}`, message: `unknown legal ref "${key}"` })),
    ...(rule.vendors ?? [])
      .map((vendor, i) => ({ vendor, i }))
      .filter(({ vendor }) => !vendors.has(vendor))
      .map(({ vendor, i }) => ({ path: `/rules/${id}/vendors/${i}`, message: `unknown vendor "${vendor}"` })),
  ]);
}

/** What the cloaking list's schema cannot express: each vendor exists, each shape compiles. */
function cloakingChecks(data: unknown): Problem[] {
  const vendors = new Set(
    (readJson('lib/knowledge/data/vendors.json') as { vendors: Array<{ id: string }> }).vendors.map((v) => v.id),
  );
  return (data as CloakingList).setups.flatMap((setup, i) => [
    ...(vendors.has(setup.vendor)
      ? []
      : [{ path: `/setups/${i}/vendor`, message: `unknown vendor "${setup.vendor}"` }]),
    ...(setup.shapes ?? []).flatMap((shape, j) => regexProblem(shape.path, `/setups/${i}/shapes/${j}/path`)),
  ]);
}

/** What the hints' schema cannot express: unique platform ids, and cookie patterns that compile. */
function cmpHintsChecks(data: unknown): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  (data as CmpHints).platforms.forEach((platform, i) => {
    if (seen.has(platform.id)) problems.push({ path: `/platforms/${i}/id`, message: `duplicate id "${platform.id}"` });
    seen.add(platform.id);
    platform.cookies.forEach((cookie, j) => {
      for (const decision of ['accept', 'reject', 'custom'] as const) {
        const pattern = cookie[decision];
        if (pattern !== undefined) problems.push(...regexProblem(pattern, `/platforms/${i}/cookies/${j}/${decision}`));
      }
    });
  });
  return problems;
}

lintFolder('lib/knowledge/data', 'lib/schema/knowledge.schema.json', knowledgeChecks);
lintFile('lib/knowledge/data/cloaking.json', 'lib/schema/cloaking.schema.json', cloakingChecks);
lintFolder('policies', 'lib/schema/policy.schema.json');
lintFile('lib/rules/catalog.json', 'lib/schema/catalog.schema.json', catalogChecks);
lintFile('lib/consent/cmp-hints.json', 'lib/schema/cmp-hints.schema.json', cmpHintsChecks);
lintImports(root, print);
process.exit(failed ? 1 : 0);
