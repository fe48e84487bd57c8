/**
 * The one typed message protocol between the extension's contexts. One discriminated union per
 * direction, one listener per context with an exhaustive switch. Page-world reports arrive through
 * the isolated relay and are untrusted by construction.
 */
import type { ChannelIntegrity, ConsentDecision, Observation } from './observations';
import type { AuditReport } from './report/types';
import type { AuditMeta, StoreHealth } from './store/audit-store';
import type { Category } from './categories';
import type { Classification } from './knowledge/types';

/** Status of one audited tab, as the popup lists it: its audit's metadata and how much it recorded. */
export type AuditSummary = Pick<AuditMeta, 'auditId' | 'tabId' | 'site' | 'policyId' | 'url' | 'startedAt'> & {
  observations: number;
};

/** The summary of an audit, derived from what the store keeps. */
export function summaryOf(meta: AuditMeta): AuditSummary {
  const { auditId, tabId, site, policyId, url, startedAt } = meta;
  return { auditId, tabId, site, policyId, url, startedAt, observations: meta.nextSeq - 1 };
}

/** What the main-world hook reports (via window.postMessage to the relay). Untrusted: the page can forge any of it. */
export type PageEvent =
  | {
      type: 'cookie-write';
      raw: string; // the cookie string as assigned (values are redacted by the background)
      via?: 'document.cookie' | 'cookieStore';
      time: number; // page clock, ms since epoch
      url: string; // document URL
      initiator?: string; // script URL from the stack
      initiatorShaped?: true; // the page had changed how stacks are made: the initiator may be the page's choice
    }
  | {
      type: 'storage';
      area: 'localStorage' | 'sessionStorage' | 'indexedDB';
      action: 'set' | 'remove' | 'clear' | 'open';
      key: string; // storage key, or database name for indexedDB
      valueLength?: number;
      time: number;
      url: string;
      initiator?: string;
      initiatorShaped?: true;
      seenBy?: 'snapshot'; // found by the isolated world's storage snapshots, not reported by the hook
    }
  | {
      type: 'tcf'; // an IAB TCF v2 __tcfapi event seen by the hook's own listener
      eventStatus: string;
      tcString?: string;
      cmpId?: number;
      time: number;
      url: string;
    }
  | {
      type: 'forged'; // a message on our page channel that our hook never sends: evidence of tampering
      detail: string;
      time: number;
      url: string;
    };

/** What the isolated-world consent script reports. The page cannot call extension APIs, so these are ours. */
export type ConsentReport =
  | { kind: 'autoconsent'; message: { type: string; cmp?: string; result?: boolean; url?: string } }
  | {
      kind: 'gesture';
      time: number;
      url: string;
      target: string;
      matched?: { platform: string; decision: 'accept' | 'reject'; selector: string };
      control?: ConsentDecision; // what the control hit means, from its label (lib/consent/control-kind.ts)
    }
  | {
      kind: 'storage-snapshot';
      reason: 'load' | 'consent-change';
      origin: string;
      url: string;
      entries: Array<{ area: 'localStorage' | 'sessionStorage'; key: string; valueLength: number }>;
    };

/** Commands the background sends to a frame's consent script (tabs.sendMessage). */
export type ConsentCommand =
  | { type: 'consent-command'; action: 'optIn' | 'optOut' | 'selfTest'; rule?: unknown } // rule: the platform's full autoconsent rule
  | { type: 'consent-command'; action: 'click'; selector: string }
  | { type: 'consent-command'; action: 'snapshot' };

export type ConsentCommandResponse = { ok: boolean; cmp?: string; detail?: string };

/** Background → a frame's relay: read storage now and send what changed (before a report is built) → true. */
export type RelayCommand = { type: 'relay-snapshot' };

/** Messages sent to the background. */
export type BackgroundRequest =
  | { type: 'status' } // → StatusResponse
  | { type: 'get-report'; tabId: number } // → ReportResponse
  | { type: 'get-observations'; tabId: number } // → Observation[] of the tab's current audit
  | { type: 'restart-audit'; tabId: number } // start a clean audit of the tab → AuditSummary | null
  | {
      type: 'page-events'; // from the relay content script; sender.tab identifies the tab → { ok: true } once persisted
      events: PageEvent[];
      relay?: { id: string; seq: number }; // batch number per relay instance: a retried batch is recorded once
      integrity?: ChannelIntegrity; // what the relay rejected or lost since its previous batch
    }
  | { type: 'consent-report'; report: ConsentReport } // from the isolated consent script → for 'autoconsent' init: its init response
  | { type: 'autoconsent-eval'; id: string; snippetId: string } // autoconsent asks to run one of its eval snippets in the page world → unknown
  | { type: 'consent-action'; tabId: number; action: 'accept' | 'reject'; selectors?: ConsentSelectors } // → ConsentActionResponse
  | { type: 'mark-consent'; tabId: number; decision: ConsentDecision } // the auditor's own mark in the popup → { ok: boolean }
  | { type: 'import-policy'; text: string; source?: string } // → ImportPolicyResponse (kept in extension storage)
  | { type: 'import-knowledge'; kind: KnowledgeImportKind; text: string; source?: string; category?: Category } // → ImportKnowledgeResponse
  | { type: 'list-imports' } // → ImportsListing
  | { type: 'remove-import'; kind: 'policy' | KnowledgeImportKind; id: string } // → RemoveImportResponse
  | { type: 'classify'; url?: string; cookie?: { name: string; domain: string } }; // which source knows it → ClassifyResponse

/** CSS selectors for banners autoconsent does not know. */
export interface ConsentSelectors {
  accept?: string;
  reject?: string;
}

/** Result of an automated consent choice (autoconsent opt-in/opt-out, or the auditor's selectors). */
export type ConsentActionResponse =
  | { ok: true; platform?: string; method: 'autoconsent' | 'selector'; selfTest?: boolean }
  | { ok: false; error: string };

export type ImportPolicyResponse =
  | {
      ok: true;
      id: string;
      sites: string[];
      migratedFrom?: number; // the file's older format version, upgraded on import
      notes?: string[]; // what the migration did
      replaced?: 'import' | 'builtin'; // an earlier import, or the built-in policy, of the same id
    }
  | { ok: false; errors: Array<{ path: string; message: string; line?: number }> };

/** Knowledge sources a user imports on the options page (kept in extension storage). */
export type KnowledgeImportKind = 'ocd' | 'filters';

/** A problem in an imported file: its line and, for CSV, the column. */
export interface ImportProblem {
  line: number;
  field?: string;
  message: string;
}

export type ImportKnowledgeResponse =
  | {
      ok: true;
      kind: KnowledgeImportKind;
      id: string;
      name: string;
      entries: number;
      warnings: ImportProblem[];
      replaced: boolean;
    }
  | { ok: false; errors: ImportProblem[] };

export type RemoveImportResponse = { ok: true } | { ok: false; error: string };

/** What the options page lists: every policy and every imported knowledge source, with its provenance. */
export interface ImportsListing {
  builtinKnowledge: { version: string; vendors: number };
  policies: Array<{
    id: string;
    version: string;
    title: string;
    sites: string[];
    origin: 'builtin' | 'imported';
    source?: string; // file name, for imports
    importedAt?: string; // ISO time
    sha256: string;
    overridesBuiltin?: boolean;
  }>;
  ocd?: {
    id: string;
    name: string;
    importedAt: string;
    sha256: string;
    rows: number;
    vendors: number;
    warnings: number;
  };
  filters: Array<{
    id: string;
    name: string;
    title?: string;
    category: Category;
    importedAt: string;
    sha256: string;
    networkFilters: number;
    unsupported: number;
  }>;
}

/** Which source classifies a URL or a cookie; `null` when none does. */
export interface ClassifyResponse {
  url?: Classification | null;
  cookie?: Classification | null;
}

export interface StatusResponse {
  ready: boolean;
  version: string;
  audits: AuditSummary[];
  policies: Array<{ id: string; sites: string[]; origin: 'builtin' | 'imported' }>;
}

export type ReportResponse =
  | { ok: true; report: AuditReport; storage?: StoreHealth } // storage: whether the audit store can write
  | { ok: false; error: string };

/** Page-world channel tag; the relay ignores window messages without it. */
export const PAGE_CHANNEL = 'consent-auditor:page-hook:v1';

/** Type guard for runtime messages: anything else is dropped with no reply. */
export function isBackgroundRequest(message: unknown): message is BackgroundRequest {
  if (!message || typeof message !== 'object') return false;
  const { type } = message as { type?: unknown };
  return (
    type === 'status' ||
    type === 'get-report' ||
    type === 'get-observations' ||
    type === 'restart-audit' ||
    type === 'page-events' ||
    type === 'consent-report' ||
    type === 'autoconsent-eval' ||
    type === 'consent-action' ||
    type === 'mark-consent' ||
    type === 'import-policy' ||
    type === 'import-knowledge' ||
    type === 'list-imports' ||
    type === 'remove-import' ||
    type === 'classify'
  );
}

export type { Observation };
