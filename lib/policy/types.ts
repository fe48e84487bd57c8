import type { Category } from '../categories';

/**
 * A declared privacy policy as data. Every item cites the clause it comes from, so a finding can
 * quote the sentence it contradicts. The JSON Schema is `lib/schema/policy.schema.json`.
 */

/** A clause of the policy: its section and the short phrase, in the policy's language, that declares the item. */
export interface PolicyRef {
  section: string;
  quote: string;
}

export interface DeclaredRecipient {
  name: string;
  kind: 'controller' | 'group-company' | 'processor' | 'partner' | 'third-party';
  refs: PolicyRef[];
}

export interface DeclaredCategory {
  category: Category;
  /** The purpose in the policy's own words, translated to plain English. */
  purpose: string;
  /** Lifetime the policy declares for this category, when it declares one. */
  maxLifetime?: DeclaredLifetime;
  refs: PolicyRef[];
}

export interface DeclaredLifetime {
  months?: number;
  days?: number;
}

export interface DeclaredThirdParty {
  /** Knowledge-base vendor id, e.g. `google-recaptcha`. */
  vendor: string;
  name: string;
  entity: string;
  category: Category;
  legalBasis: 'consent' | 'legitimate-interest' | 'contract' | 'legal-obligation' | 'unspecified';
  /** Registrable domains or hosts the declaration covers (documentation; the vendor's hosts come from the knowledge base). */
  domains: string[];
  refs: PolicyRef[];
}

/** What the policy treats as exempt from consent. */
export interface DeclaredExemption {
  kind: 'session-cookies' | 'consent-storage' | 'cookie-name' | 'strictly-necessary';
  /** For `cookie-name`: exact name, or a prefix ending with `*`. */
  pattern?: string;
  /** Why it is exempt; `refs` may be empty when the exemption comes from CNIL guidance, not the text. */
  reason: string;
  refs: PolicyRef[];
}

/** Something the policy fails to declare or declares vaguely: recorded as data so reports can say so. */
export interface PolicyGap {
  id: string;
  description: string;
  refs: PolicyRef[];
}

export interface DeclaredPolicy {
  formatVersion: 1;
  /** Stable id, conventionally the main registrable domain. */
  id: string;
  /** Version of the policy text this file encodes (date it was read, or the site's own version). */
  version: string;
  title: string;
  language: string;
  sourceUrl?: string;
  /** Registrable domains the policy covers. */
  sites: string[];
  controller: { name: string; refs: PolicyRef[] };
  recipients: DeclaredRecipient[];
  /** Longest lifetime the policy allows for any cookie or tracker of the site. */
  maxCookieLifetime?: DeclaredLifetime & { refs: PolicyRef[] };
  categories: DeclaredCategory[];
  thirdParties: DeclaredThirdParty[];
  exemptions: DeclaredExemption[];
  gaps?: PolicyGap[];
}
