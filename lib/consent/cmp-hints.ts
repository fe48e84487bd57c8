import hintsData from './cmp-hints.json';
import type { ConsentDecision } from '../observations';

/** One consent platform's recognisable controls and choice cookie (data in cmp-hints.json). */
export interface CmpHint {
  /** Stable kebab-case id, shown in reports. */
  id: string;
  name: string;
  /** autoconsent rule names of this platform (matched case-insensitively). */
  autoconsent: string[];
  /** CSS selectors of the accept controls. */
  accept: string[];
  /** CSS selectors of the refuse controls. */
  reject: string[];
  /** Choice cookies; each decision is a regular expression tested on the raw and the decoded value. */
  cookies: Array<{ name: string; accept?: string; reject?: string; custom?: string }>;
}

/** The whole of cmp-hints.json; `lib/schema/cmp-hints.schema.json` describes it. */
export interface CmpHints {
  formatVersion: 1;
  note: string;
  platforms: CmpHint[];
}

export const CMP_HINTS = (hintsData as CmpHints).platforms;

/** The platform an autoconsent rule name belongs to, for a stable name in reports. */
export function platformOfRule(rule: string): CmpHint | undefined {
  const lower = rule.toLowerCase();
  return CMP_HINTS.find((h) => h.autoconsent.some((a) => a.toLowerCase() === lower));
}

/**
 * The decision a platform's choice cookie records, judged from its value at the edge (the value
 * itself is not kept). Checked in order reject, accept, custom: the most specific pattern first.
 */
export function decisionFromConsentCookie(
  name: string,
  value: string,
): { platform: CmpHint; decision: ConsentDecision } | undefined {
  for (const platform of CMP_HINTS) {
    for (const cookie of platform.cookies) {
      if (cookie.name !== name) continue;
      const decoded = safeDecode(value);
      for (const decision of ['reject', 'accept', 'custom'] as const) {
        const pattern = cookie[decision];
        if (pattern && (new RegExp(pattern).test(value) || new RegExp(pattern).test(decoded)))
          return { platform, decision };
      }
    }
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
