import type { Category } from '../categories';

/**
 * A declared privacy policy as data. Every item cites the clause it comes from, so a finding can
 * quote the sentence it contradicts. The JSON Schema is `lib/schema/policy.schema.json`; the format
 * is documented field by field in `docs/policy-format.md`, and older files are upgraded by
 * `lib/policy/migrate.ts`.
 */

/** The policy format this build reads and writes. Older files are migrated on load. */
export const POLICY_FORMAT_VERSION = 2;

/** A clause of the policy: its section and the short phrase, in the policy's language, that declares the item. */
export interface PolicyRef {
  /** Section number or heading as the policy labels it (`IX`, `4.2`, `Cookies`). */
  section: string;
  /** Verbatim phrase of the policy text. */
  quote: string;
}

export interface DeclaredRecipient {
  name: string;
  kind: 'controller' | 'group-company' | 'processor' | 'partner' | 'third-party';
  /** Knowledge-base vendor ids this recipient stands for, when the auditor can tie them (format 2). */
  vendors?: string[];
  /** Registrable domains of this recipient (format 2): requests to them count as declared. */
  domains?: string[];
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

/** A lifetime as the policy words it; parts add up (`{ months: 13 }`, `{ minutes: 30 }`). */
export interface DeclaredLifetime {
  months?: number;
  days?: number;
  /** Format 2, for short-lived cookies (`_pk_ses` expires after 30 minutes). */
  minutes?: number;
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

/** A cookie (or storage key) the policy lists by name (format 2). */
export interface DeclaredCookie {
  /** Exact name, or a prefix when `match` is `prefix`. */
  name: string;
  match?: 'exact' | 'prefix';
  category: Category;
  /** The purpose in the policy's own words, translated to plain English. */
  purpose?: string;
  /** Knowledge-base vendor id of the service that sets it, when the policy names one. */
  vendor?: string;
  /** Lifetime the policy declares for this cookie. */
  maxLifetime?: DeclaredLifetime;
  /** True when the policy says it is a session cookie (deleted when the browser closes). */
  session?: boolean;
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
  formatVersion: typeof POLICY_FORMAT_VERSION;
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
  /**
   * How long the site says it keeps the visitor's consent choice (accept or refusal) before asking
   * again. Optional in format 2; without it the CNIL's six months of good practice are assumed.
   */
  consentRetention?: DeclaredLifetime & { refs: PolicyRef[] };
  categories: DeclaredCategory[];
  thirdParties: DeclaredThirdParty[];
  /** Cookies the policy lists by name (format 2); absent when it lists none. */
  cookies?: DeclaredCookie[];
  exemptions: DeclaredExemption[];
  gaps?: PolicyGap[];
}
