/**
 * `--policy FILE`: the file is read and validated here, with the extension's own parser, before any
 * browser starts, so a typo costs a second and the error names its line; then the exact text is
 * imported into each scenario's fresh profile (`import-policy`).
 */
import { readFile, stat } from 'node:fs/promises';
import { sizeError, textSizeError } from '../../lib/limits.ts';
import { parsePolicy, sha256Hex } from '../../lib/policy/load.ts';
import type { SchemaError } from '../../lib/schema/validate.ts';
import { AuditFailure, oneLine } from './errors.ts';
import { jsonErrorAt } from './json-error-at.ts';

export interface LocalPolicy {
  /** The path as given. */
  file: string;
  /** Exact text, as imported and hashed. */
  text: string;
  id: string;
  version: string;
  sites: string[];
  /** sha256 of `text`, which the extension must report in provenance. */
  sha256: string;
}

/** `line 12, /sites/0: must be string`: where an editor finds it, then what is wrong. */
export function describePolicyError(error: SchemaError): string {
  const line = (error as SchemaError & { line?: number }).line;
  const where = line !== undefined && !error.path.startsWith('line ') ? `line ${line}, ${error.path}` : error.path;
  return `${where}: ${error.message}`;
}

/** One line for a list of errors: the first in full, then how many more. */
export function summarizePolicyErrors(errors: readonly SchemaError[]): string {
  const [first, ...rest] = errors;
  if (!first) return 'invalid policy';
  return `${describePolicyError(first)}${rest.length ? ` (and ${rest.length} more)` : ''}`;
}

/**
 * Node 20 gives no position for some JSON syntax errors (`Unexpected token ']'`), and echoes the
 * text around it, newlines included: put the line back and keep the message to one line.
 */
function locateSyntaxError(text: string, errors: SchemaError[]): SchemaError[] {
  const [first] = errors;
  if (errors.length !== 1 || !first?.message.startsWith('invalid JSON') || first.path.startsWith('line '))
    return errors;
  const at = jsonErrorAt(text.replace(/^\uFEFF/, ''));
  const message = oneLine(first.message.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, ''));
  return [{ path: at ? `line ${at.line}, column ${at.column}` : first.path, message }];
}

/** Reads and validates a policy file; throws {@link AuditFailure} with a one-line reason. */
export async function loadPolicyFile(file: string): Promise<LocalPolicy> {
  let text: string;
  try {
    // The extension's own limit (lib/limits.ts), checked before the file is even read.
    const tooBig = sizeError('policy', (await stat(file)).size);
    if (tooBig) throw new AuditFailure(`--policy ${file}: /: ${tooBig}`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof AuditFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new AuditFailure(`--policy ${file}: cannot read it (${code ?? String(error)})`);
  }
  const tooBig = textSizeError('policy', text);
  if (tooBig) throw new AuditFailure(`--policy ${file}: /: ${tooBig}`);
  const result = parsePolicy(text);
  if (!result.ok)
    throw new AuditFailure(`--policy ${file}: ${summarizePolicyErrors(locateSyntaxError(text, result.errors))}`);
  const { id, version, sites } = result.policy;
  return { file, text, id, version, sites, sha256: await sha256Hex(text) };
}
