import type { Finding, ReportError, RuleId, Severity } from '../findings';
import type { ClassificationSource } from '../knowledge/types';
import type { Phased } from '../engine/phases';
import type {
  ConsentDecision,
  ConsentObservation,
  DnsObservation,
  FingerprintObservation,
  PageObservation,
  CookieObservation,
  DecisionTimeSource,
  RequestObservation,
  Scenario,
  StorageObservation,
} from '../observations';
import type { PolicyGap } from '../policy/types';
import type { Reviews } from '../review/types';
import type { StartState } from '../start-state';
import type { JourneyGoal } from '../journey';

/**
 * The findings contract. Every consumer (popup, JSON export, CLI, later CSV/HTML reports) reads
 * this one type; `lib/schema/audit-report.schema.json` describes it for outside tools.
 * Bump SCHEMA_VERSION on any breaking change.
 */
export const SCHEMA_VERSION = 1;
export type { Scenario };

export interface BrowserInfo {
  name: string;
  version: string;
  userAgent: string;
  /** How the profile treats third-party cookies, when known (e.g. `allowed`). */
  thirdPartyCookies?: string;
  /** Tracking protection mode (Firefox ETP), when known. */
  trackingProtection?: string;
  /** Scripted audits: what the audited site itself saw of the browser, read in its first page. */
  visitor?: VisitorInfo;
}

/** How a scripted browser presented itself: a visitor, not a bot (scripts/browser/visitor.ts). */
export interface VisitorInfo {
  /** `navigator.webdriver`: false, or sites that hide from bots show a bot something else. */
  webdriver: boolean;
  userAgent: string;
  languages: string[];
  /** IANA time zone the page's clock is in. */
  timezone: string;
  /** Outer window size, `WIDTHxHEIGHT`. */
  window: string;
}

export interface Provenance {
  tool: { name: string; version: string };
  browser: BrowserInfo;
  startedAt: string;
  endedAt: string;
  targetUrl: string;
  site: string;
  policy: { id: string; version: string; sha256: string; title: string };
  knowledge: KnowledgeInfo;
  notes: string[];
  /**
   * Identifiers in recorded URLs (`cid`, `gclid`, a cookie's value...): `redacted` (the default,
   * hash and length kept) or `kept` (an explicit option, for internal use only).
   */
  identifiers?: 'redacted' | 'kept';
  /** IANA name of the zone the report's times are written in (their offsets are that zone's): `Europe/Paris`. */
  timeZone?: string;
}

/** The knowledge sources an audit was classified with: the built-in base and each import. */
export interface KnowledgeInfo {
  /** Version (date) of the built-in base. */
  version: string;
  /** Vendors in the built-in base. */
  vendors: number;
  /** Imported sources, in the order they are consulted after the built-in base. */
  imports?: Array<{
    source: Exclude<ClassificationSource, 'builtin-kb'>;
    name: string;
    entries: number;
    importedAt: string;
    sha256: string;
  }>;
}

export interface ScenarioRun {
  id: Scenario;
  startedAt: string;
  endedAt: string;
  pages: string[];
  /** The decision that opened the consent phase, if any, and how it was established. */
  decision?: DecisionRecord;
  /** Decisions after the first (a change of mind), each opening a new phase. */
  laterDecisions?: DecisionRecord[];
  /** Consent claims that were not trusted, and why: forged messages, page reports with no real click behind them. */
  untrustedSignals?: Array<{ time: string; decision?: ConsentDecision; how: string; source: string; why: string }>;
  /** Scripted audits: the automated consent choice asked of the extension, and what came of it. */
  consentAction?: ConsentActionRecord;
  /** The state the audit started from (lib/start-state.ts): what was already there, and the settings that change results. */
  startState?: StartState;
  /** Scripted journeys: each step asked of the extension on the banner (or of the browser), and what came of it. */
  journey?: JourneyStepRecord[];
}

/** One step of a scripted journey (scripts/cli/journeys.ts). */
export interface JourneyStepRecord {
  goal: JourneyGoal | 'reload' | 'visit';
  done: boolean;
  detail: string;
  /** Clicks the step took on the banner. */
  steps?: number;
  /** Labels of the controls clicked, in order. */
  clicked?: string[];
}

/** A decision that opened a consent phase: what, when, and where that time comes from. */
export interface DecisionRecord {
  decision: ConsentDecision;
  time: string;
  how: string;
  trusted: boolean;
  /** `click`: a real click on the page (also when the auditor's mark adopted it); `mark`: the mark's own time. */
  timeSource?: DecisionTimeSource;
  /** The real click whose time the decision took: the control it hit, and when. */
  click?: { target: string; time: string };
  /** When the auditor's mark was made, when the decision took the time of a click before it. */
  markedAt?: string;
}

/** Outcome of a scripted scenario's automated consent choice (`consent-action`). */
export interface ConsentActionRecord {
  action: 'accept' | 'reject';
  ok: boolean;
  /** How the choice was made, when it was: autoconsent's rule for a known platform, or the auditor's selector. */
  method?: 'autoconsent' | 'selector' | 'banner-text';
  platform?: string;
  /** The auditor's selector, when one was given. */
  selector?: string;
  /** Why the choice could not be made (the scenario then shows no decision). */
  error?: string;
}

/** A requested cookie the browser did not store, and why. */
export interface RefusedCookie {
  name: string;
  domain: string;
  path: string;
  seq: number;
  time: string;
  scenario?: Scenario;
  via: string;
  url: string;
  /** The header or document.cookie string, value redacted. */
  raw?: string;
  why: string;
}

export interface AuditReport {
  schemaVersion: typeof SCHEMA_VERSION;
  generatedAt: string;
  provenance: Provenance;
  scenarios: ScenarioRun[];
  /** Every observation of the audit, each with the consent phase it fell in. */
  observations: {
    /** Cookie records as recorded, without the internal digests of their values. */
    cookies: Array<Omit<Phased<CookieObservation>, 'valueDigests' | 'hashDigests'>>;
    /** Request records, without the internal digests of what their URLs carry. */
    requests: Array<Omit<Phased<RequestObservation>, 'carried'>>;
    storage: Array<Omit<Phased<StorageObservation>, 'valueDigests' | 'hashDigests'>>;
    consent: Array<Phased<ConsentObservation>>;
    /** Fingerprinting probes the page-world hook reported (untrusted); absent when none. */
    fingerprinting?: Array<Phased<FingerprintObservation>>;
    /** Pages no top-level document request shows (history API, back/forward cache, prerender activation); absent when none. */
    pages?: Array<Phased<PageObservation>>;
    /** Canonical names the browser's resolver gave for hosts of the site (Firefox), when one differs; absent when none. */
    dns?: Array<Phased<DnsObservation>>;
  };
  findings: Finding[];
  summary: { findings: number; bySeverity: Record<Severity, number>; byRule: Partial<Record<RuleId, number>> };
  /** What the declared policy fails to say or says vaguely (its `gaps`), each with its clauses. */
  policyGaps?: PolicyGap[];
  /** Cookie writes the browser refused to store: shown here, never as cookies, and never a finding. */
  refusedCookies?: RefusedCookie[];
  /**
   * Parts that failed and were skipped (a rule that threw, a malformed record): the report is
   * built all the same, and says here which part is missing and why. Empty when all went well.
   */
  errors: ReportError[];
  /** The extension's id of the audit this report was built from (absent for merged command-line reports). */
  auditId?: string;
  /** Review marks by finding id (confirmed, false positive, to investigate), kept across rebuilds and exports. */
  reviews?: Reviews;
}
