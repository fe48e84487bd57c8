/**
 * The one typed message protocol between the extension's contexts. One discriminated union per
 * direction, one listener per context with an exhaustive switch. Page-world reports arrive through
 * the isolated relay and are untrusted by construction.
 */
import type { ConsentDecision, Observation } from './observations';
import type { AuditReport } from './report/types';

/** Status of one audited tab, as the popup lists it. */
export interface AuditSummary {
  auditId: string;
  tabId: number;
  site: string;
  policyId: string;
  url: string;
  startedAt: number;
  observations: number;
}

/** What the main-world hook reports (via window.postMessage to the relay). Untrusted. */
export type PageEvent =
  | {
      type: 'cookie-write';
      raw: string; // the document.cookie string as assigned (the relay redacts the value)
      time: number; // page clock, ms since epoch
      url: string; // document URL
      initiator?: string; // script URL from the stack
    };

/** Messages sent to the background. */
export type BackgroundRequest =
  | { type: 'status' } // → StatusResponse
  | { type: 'get-report'; tabId: number } // → ReportResponse
  | { type: 'get-observations'; tabId: number } // → Observation[] of the tab's current audit
  | { type: 'restart-audit'; tabId: number } // start a clean audit of the tab → AuditSummary | null
  | { type: 'page-events'; events: PageEvent[] } // from the relay content script; sender.tab identifies the tab
  | { type: 'consent-action'; tabId: number; action: 'accept' | 'reject'; selectors?: ConsentSelectors } // → ConsentActionResponse
  | { type: 'mark-consent'; tabId: number; decision: ConsentDecision } // the auditor's own mark in the popup → { ok: boolean }
  | { type: 'import-policy'; text: string; source?: string }; // → ImportPolicyResponse (kept in extension storage)

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
  | { ok: true; id: string; sites: string[] }
  | { ok: false; errors: Array<{ path: string; message: string }> };

export interface StatusResponse {
  ready: boolean;
  version: string;
  audits: AuditSummary[];
  policies: Array<{ id: string; sites: string[]; origin: 'builtin' | 'imported' }>;
}

export type ReportResponse = { ok: true; report: AuditReport } | { ok: false; error: string };

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
    type === 'consent-action' ||
    type === 'mark-consent' ||
    type === 'import-policy'
  );
}

export type { Observation };
