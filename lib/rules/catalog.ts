import catalogData from './catalog.json';
import type { LegalRef, RuleId, Severity } from '../findings';

/** Rule metadata lives in catalog.json so severities and citations can change without code. */
interface RuleMeta {
  severity: Severity;
  legalRefs: string[];
  vendors?: string[];
}

const catalog = catalogData as { legalRefs: Record<string, LegalRef>; rules: Record<RuleId, RuleMeta> };

export function ruleMeta(rule: RuleId): RuleMeta {
  return catalog.rules[rule];
}

export function legalRefsFor(rule: RuleId): LegalRef[] {
  return ruleMeta(rule).legalRefs.map((key) => {
    const ref = catalog.legalRefs[key];
    if (!ref) throw new Error(`catalog.json: rule ${rule} cites unknown legal ref ${key}`);
    return ref;
  });
}
