import type { DeclaredPolicy } from '../policy/types';

/** True when the policy declares this cookie name exempt (`cookie-name` exemptions; `*` ends a prefix). */
export function exemptByPolicy(policy: DeclaredPolicy, name: string): boolean {
  return policy.exemptions.some((e) => {
    if (e.kind !== 'cookie-name' || !e.pattern) return false;
    return e.pattern.endsWith('*') ? name.startsWith(e.pattern.slice(0, -1)) : name === e.pattern;
  });
}
