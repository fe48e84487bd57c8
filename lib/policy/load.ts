import policySchema from '../schema/policy.schema.json';
import { validateAgainstSchema, type SchemaError } from '../schema/validate';
import type { DeclaredPolicy } from './types';

export type PolicyParseResult =
  | { ok: true; policy: DeclaredPolicy }
  | { ok: false; errors: SchemaError[] };

/** Line and column of a character offset, for JSON syntax errors a person can find. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * Parses and validates a declared-policy file. Never throws: a malformed file gives errors that
 * name the line (syntax) or the JSON path (schema) at fault, and the caller keeps its previous data.
 */
export function parsePolicy(text: string): PolicyParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumn(text, Number(position[1])) : 'unknown position';
    return { ok: false, errors: [{ path: where, message: `invalid JSON: ${message}` }] };
  }
  const errors = validateAgainstSchema(data, policySchema as Record<string, unknown>);
  if (errors.length) return { ok: false, errors };
  const policy = data as DeclaredPolicy;
  const sites = new Set<string>();
  for (const [i, site] of policy.sites.entries()) {
    if (sites.has(site)) return { ok: false, errors: [{ path: `/sites/${i}`, message: `duplicate site ${site}` }] };
    sites.add(site);
  }
  return { ok: true, policy };
}

/** Formats parse errors as one line each, for the options page and the command line. */
export function formatSchemaErrors(errors: readonly SchemaError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('\n');
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
