import type { Category } from './categories';
import type { Classification } from './knowledge/types';
import type { ConsentPhase, Scenario } from './observations';
import type { Text } from './i18n';
import type { PolicyRef } from './policy/types';

/**
 * The findings contract: what a rule returns and the report carries. It sits below engine/, rules/
 * and report/ so that each of them can import it without a cycle. `RULE_IDS` is the one list of
 * rule ids: `RULES` (lib/rules/index.ts) must implement each, catalog.json must describe each, and
 * the report schema and the README's rule table must list each (tests/unit/single-sources.test.ts).
 */
export const RULE_IDS = [
  'cookie-lifetime-exceeds-policy',
  'tracker-before-consent',
  'recaptcha-before-consent',
  'cookie-before-consent',
  'storage-before-consent',
  'fingerprinting-before-consent',
  'identifier-shared-with-third-party',
  'tracking-after-refusal',
  'tracking-after-withdrawal',
  'withdrawal-not-found',
  'consent-not-remembered',
  'refusal-harder-than-acceptance',
  'pre-ticked-choices',
  'consent-signal-before-decision',
  'undeclared-third-party',
  'undeclared-category',
  'unclassified-cookie',
] as const;

export type RuleId = (typeof RULE_IDS)[number];
export type Severity = 'high' | 'medium' | 'low' | 'info';

export interface LegalRef {
  /** Short citation, e.g. `CNIL, Lignes directrices cookies, 17 sept. 2020`. */
  source: string;
  /** What it says that matters here, in plain English. */
  point: string;
  /** The same in French: French texts quoted or closely paraphrased in French. */
  pointFr?: string;
  url?: string;
}

/** One piece of evidence: a cookie write, a request, a storage write or a consent event. Times are ISO 8601. */
export interface Evidence {
  kind: 'cookie' | 'request' | 'storage' | 'consent' | 'fingerprint' | 'page' | 'dns';
  /** Sequence number of the observation in its audit. */
  seq: number;
  time: string;
  phase: ConsentPhase;
  scenario?: Scenario;
  /** Cookie name, storage key, or fingerprinting technique. */
  name?: string;
  domain?: string;
  url?: string;
  host?: string;
  requestType?: string;
  /** How a cookie was written: header, document.cookie, cookieStore or cookies API. */
  via?: string;
  /** Raw Set-Cookie or document.cookie string, value redacted. */
  raw?: string;
  session?: boolean;
  requestedExpiry?: string;
  effectiveExpiry?: string;
  requestedLifetimeDays?: number;
  effectiveLifetimeDays?: number;
  /**
   * Which expiry the lifetime was judged on: the larger of the requested one and the one the browser
   * stored. A page's claim lower than what the browser stored is shown, never judged.
   */
  judged?: 'requested' | 'effective';
  /** Script that made a page-world write, when known. */
  initiator?: string;
  /** The engine's note, in English (and the page's own words for a fingerprint's detail). */
  note?: string;
  /** The same note as a message, for renderers to write in the reader's language (lib/engine/evidence-note.ts). */
  noteText?: Text;
}

export interface Finding {
  /** Stable within a report: `<rule>:<subject key>[:<scenario>]`. */
  id: string;
  rule: RuleId;
  severity: Severity;
  scenario?: Scenario;
  /** Phase of the first occurrence. */
  phase: ConsentPhase;
  /** English rendering of `message.title`, kept for readers of the JSON that do not translate. */
  title: string;
  /** English rendering of `message.detail`. */
  detail: string;
  /**
   * The title and detail as message keys and parameters (locales/*.json), so that the popup and the
   * renderers write them in the reader's language (lib/i18n `render`).
   */
  message: { title: Text; detail: Text };
  /** What the finding is about: one cookie, one vendor, one host. */
  subject: {
    kind: 'cookie' | 'vendor' | 'host' | 'storage' | 'category' | 'banner' | 'script';
    key: string;
    label: string;
  };
  category?: Category;
  /** Knowledge-base entry or list rule that classified the subject. */
  classifiedBy?: Classification;
  policyRefs: PolicyRef[];
  legalRefs: LegalRef[];
  evidence: Evidence[];
}

/** A part of the audit that failed and was skipped; the report stands without it. */
export interface ReportError {
  /** Which part: `rule cookie-before-consent (scenario accept)`, `observation 12`, `scenarios`... */
  part: string;
  /** Why, in one line. */
  reason: string;
}
