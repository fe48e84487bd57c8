import o2toitText from '../../policies/o2toit.com.json?raw';
import { parsePolicy, sha256Hex } from './load';
import type { DeclaredPolicy } from './types';

/** A policy with the exact text it was parsed from, and that text's sha256 (the report's provenance). */
export interface LoadedPolicy {
  policy: DeclaredPolicy;
  text: string;
  origin: 'builtin' | 'imported';
  /** Hex sha256 of `text`, computed once when the policy is loaded. */
  sha256: string;
}

/** Policy files shipped with the extension. Imported ones (options page) are kept in extension storage. */
const FILES: ReadonlyArray<{ file: string; text: string }> = [{ file: 'policies/o2toit.com.json', text: o2toitText }];

let loaded: Promise<readonly LoadedPolicy[]> | undefined;

/**
 * The built-in policies, parsed and hashed once per worker life (Web Crypto's digest is async, so
 * this is a promise). Built-in files are checked by the lint step and the unit tests: a parse
 * failure here is a build bug, and rejects.
 */
export function builtinPolicies(): Promise<readonly LoadedPolicy[]> {
  loaded ??= Promise.all(
    FILES.map(async ({ file, text }): Promise<LoadedPolicy> => {
      const result = parsePolicy(text);
      if (!result.ok) throw new Error(`${file}: ${result.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
      return { policy: result.policy, text, origin: 'builtin', sha256: await sha256Hex(text) };
    }),
  );
  return loaded;
}
