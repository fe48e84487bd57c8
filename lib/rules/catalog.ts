import catalogData from './catalog.json';
import type { LegalRef, RuleId, Severity } from '../findings';

/** Rule metadata lives in catalog.json so severities and citations can change without code. */
export interface RuleMeta {
  severity: Severity;
  /** Keys of `legalRefs` in the catalogue. */
  legalRefs: string[];
  /** Knowledge-base vendor ids the rule is about (reCAPTCHA). */
  vendors?: string[];
}

/** The whole of catalog.json; `lib/schema/catalog.schema.json` describes it. */
export interface RuleCatalog {
  /** Citations, by key; each gives its point in English and in French. */
  legalRefs: Record<string, LegalRef & { pointFr: string }>;
  /** One entry per rule id (tests/unit/single-sources.test.ts). */
  rules: Record<RuleId, RuleMeta>;
}

const catalog = catalogData as RuleCatalog;

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
