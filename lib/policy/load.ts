import { locatePointer, positionOf } from '../schema/json-locate';
import policySchema from '../schema/policy.schema.json';
import { validateAgainstSchema, type SchemaError } from '../schema/validate';
import { migratePolicyDocument } from './migrate';
import type { DeclaredPolicy } from './types';

export type PolicyParseResult =
  { ok: true; policy: DeclaredPolicy; migratedFrom?: number; notes: string[] } | { ok: false; errors: SchemaError[] };

/**
 * Parses, migrates and validates a declared-policy file. Never throws: a malformed file gives
 * errors that name the line (syntax) or the JSON path and its line (schema) at fault, and the
 * caller keeps its previous data. Files in an older format are upgraded (lib/policy/migrate.ts).
 */
export function parsePolicy(input: string): PolicyParseResult {
  // A byte-order mark is invisible in editors but breaks JSON.parse.
  const text = input.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 says "at position N"; SpiderMonkey says "at line L column C".
    const position = /position (\d+)/.exec(message);
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    const at = position
      ? positionOf(text, Number(position[1]))
      : lineColumn
        ? { line: Number(lineColumn[1]), column: Number(lineColumn[2]) }
        : undefined;
    const where = at ? `line ${at.line}, column ${at.column}` : 'unknown position';
    return {
      ok: false,
      errors: [{ path: where, message: `invalid JSON: ${message}`, ...(at ? { line: at.line } : {}) }],
    };
  }
  const migrated = migratePolicyDocument(data);
  if (!migrated.ok) return { ok: false, errors: located(text, migrated.errors) };
  const errors = validateAgainstSchema(migrated.data, policySchema as Record<string, unknown>);
  if (errors.length) return { ok: false, errors: located(text, errors) };
  const policy = migrated.data as DeclaredPolicy;
  const sites = new Set<string>();
  for (const [i, site] of policy.sites.entries()) {
    if (sites.has(site))
      return { ok: false, errors: located(text, [{ path: `/sites/${i}`, message: `duplicate site ${site}` }]) };
    sites.add(site);
  }
  return {
    ok: true,
    policy,
    notes: migrated.notes,
    ...(migrated.migratedFrom !== undefined ? { migratedFrom: migrated.migratedFrom } : {}),
  };
}

/** Adds the source line of each error's JSON path (migration keeps paths unchanged). */
function located(text: string, errors: SchemaError[]): SchemaError[] {
  return errors.map((e) => {
    const at = locatePointer(text, e.path);
    return at ? { ...e, line: at.line } : e;
  });
}

/** Formats parse errors as one line each, for the options page and the command line. */
export function formatSchemaErrors(errors: readonly SchemaError[]): string {
  return errors
    .map(
      (e) => `${e.line !== undefined && !e.path.startsWith('line ') ? `line ${e.line} ` : ''}${e.path}: ${e.message}`,
    )
    .join('\n');
}

/** Hex sha256 of the policy file's text, for the report's provenance. Web Crypto exists in workers and Node. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The policy that covers a site (registrable domain), if any. */
export function policyForSite<T extends { sites: string[] }>(site: string, policies: readonly T[]): T | undefined {
  return policies.find((p) => p.sites.includes(site));
}
