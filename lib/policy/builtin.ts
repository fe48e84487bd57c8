import o2toitText from '../../policies/o2toit.com.json?raw';
import { parsePolicy } from './load';
import type { DeclaredPolicy } from './types';

/** A policy with the exact text it was parsed from (hashed into the report's provenance). */
export interface LoadedPolicy {
  policy: DeclaredPolicy;
  text: string;
  origin: 'builtin' | 'imported';
}

function load(text: string, file: string): LoadedPolicy {
  const result = parsePolicy(text);
  // Built-in files are checked by the lint step and the unit tests; failing here is a build bug.
  if (!result.ok) throw new Error(`${file}: ${result.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  return { policy: result.policy, text, origin: 'builtin' };
}

/** Policies shipped with the extension. Imported ones (options page) are kept in extension storage. */
export const BUILTIN_POLICIES: LoadedPolicy[] = [load(o2toitText, 'policies/o2toit.com.json')];
