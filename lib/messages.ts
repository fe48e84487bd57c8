/**
 * The one typed message protocol between the extension's contexts, typed both ways: `Protocol` maps
 * each request the background answers to its response, and every request type, the runtime list of
 * types and the answers are derived from it. The background answers every request with an `Answer`:
 * `{ ok: true, value }`, or one `Refusal` shape whose `code` says why. Page-world reports arrive
 * through the isolated relay and are untrusted by construction. No browser or DOM API here: the
 * transport is handed to `createSend`.
 */
import type { BannerControl, ChannelIntegrity, ConsentDecision, ControlKind, Observation } from './observations';
import type { AuditReport } from './report/types';
import type { ReportSnapshot } from './report/snapshot';
import type { AuditCounts, AuditMeta, StoreHealth } from './store/audit-store';
import { isReviewInput, type ReviewInput, type Reviews } from './review/marks';
import { isCategory, type Category } from './categories';
import type { Classification } from './knowledge/types';
import { JOURNEY_GOALS, type JourneyGoal, type JourneyResult } from './journey';

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
      valueDigests?: string[]; // identifierDigests of a short stored value (never the value): URLs carrying it get redacted
      hashDigests?: string[]; // `<hash>:<digest>` of its MD5, SHA-1, SHA-256 hex, added by the relay (lib/collectors/storage-hashes.ts)
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
      type: 'fingerprint'; // a fingerprinting probe that met its heuristic (lib/collectors/fingerprint.ts), once per technique and script
      technique: 'canvas' | 'webgl' | 'audio' | 'fonts';
      detail: string;
      time: number;
      url: string;
      initiator?: string;
      initiatorShaped?: true;
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
      controlKind?: ControlKind; // the control's kind from its words (lib/consent/control-words.ts)
      inBanner?: boolean; // the control is inside a consent banner (by its shape, lib/consent/banner-shape.ts)
    }
  | {
      kind: 'generic-banner'; // a banner no known platform matched, found by its shape
      time: number;
      url: string;
      target: string; // short description of the banner element
      words: string[]; // consent words found in it
      controls: BannerControl[];
    }
  | {
      kind: 'storage-snapshot';
      reason: 'start' | 'load' | 'consent-change'; // start: document_start of the top frame, before any page script
      origin: string;
      url: string;
      entries: Array<{ area: 'localStorage' | 'sessionStorage'; key: string; valueLength: number }>;
    };

/** Commands the background sends to a frame's consent script (tabs.sendMessage). */
export type ConsentCommand = (
  | { type: 'consent-command'; action: 'optIn' | 'optOut' | 'selfTest'; rule?: unknown } // rule: the platform's full autoconsent rule
  | { type: 'consent-command'; action: 'click'; selector: string }
  | { type: 'consent-command'; action: 'click-kind'; kind: 'accept' | 'refuse' } // the banner's control of that kind, by its words
  | { type: 'consent-command'; action: 'snapshot' }
  | { type: 'consent-command'; action: 'journey'; goal: JourneyGoal } // lib/journey.ts, done by the page's consent script
) & { id?: string }; // id: a resent command carries the same one, and the frame runs it once

export type ConsentCommandResponse = {
  ok: boolean;
  cmp?: string;
  detail?: string;
  /** click-kind: the text of the control clicked, and how many clicks it took (2 when a settings layer came first). */
  control?: string;
  steps?: number;
  /** journey: what the page's consent script did (lib/journey.ts). */
  journey?: JourneyResult;
  /** optIn/optOut: false when the platform's autoconsent rule has no self-test (Sourcepoint-frame's). */
  selfTestable?: boolean;
};

/** Background → a frame's relay: read storage now and send what changed (before a report is built) → true. */
export type RelayCommand = { type: 'relay-snapshot' };

/** CSS selectors for banners autoconsent does not know. */
export interface ConsentSelectors {
  accept?: string;
  reject?: string;
}

/** What an automated consent choice did (autoconsent opt-in/opt-out, or the auditor's selectors). */
export interface ConsentActionDone {
  platform?: string;
  method: 'autoconsent' | 'selector' | 'banner-text';
  selfTest?: boolean;
  /** banner-text: the text of the control the extension clicked. */
  control?: string;
}

/** The consent service's result; the background answers a failure as a `failed` refusal. */
export type ConsentActionResponse = ({ ok: true } & ConsentActionDone) | { ok: false; error: string };

/** What a clean start cleared before it reopened the audited page (a new audit starts with it). */
export interface CleanStartDone {
  cookies: number; // cookies removed
  hosts: string[]; // hosts whose cookies and storage were cleared
  errors: string[]; // what could not be cleared, in plain words
}

/** A container audit opened (Firefox): the new tab, in the dedicated container, after its site was cleared there. */
export interface ContainerAuditDone {
  tabId: number; // the new tab, audited
  container: string; // the container's name
  cookieStoreId: string;
  cookies: number; // cookies of the site removed from the container first
  errors: string[]; // what could not be cleared, in plain words
}

/** A policy file imported and kept in extension storage. */
export interface PolicyImported {
  id: string;
  sites: string[];
  migratedFrom?: number; // the file's older format version, upgraded on import
  notes?: string[]; // what the migration did
  replaced?: 'import' | 'builtin'; // an earlier import, or the built-in policy, of the same id
}

/** The import service's result; the background answers a failure as a `bad-request` refusal with its problems. */
export type ImportPolicyResponse =
  ({ ok: true } & PolicyImported) | { ok: false; errors: Array<{ path: string; message: string; line?: number }> };

/** Knowledge sources a user imports on the options page (kept in extension storage). */
export type KnowledgeImportKind = 'ocd' | 'filters';

/** A problem in an imported file: its line and, for CSV, the column. */
export interface ImportProblem {
  line: number;
  field?: string;
  message: string;
}

/** A knowledge source imported and kept in extension storage. */
export interface KnowledgeImported {
  kind: KnowledgeImportKind;
  id: string;
  name: string;
  entries: number;
  warnings: ImportProblem[];
  replaced: boolean;
}

/** The import service's result; the background answers a failure as a `bad-request` refusal with its problems. */
export type ImportKnowledgeResponse = ({ ok: true } & KnowledgeImported) | { ok: false; errors: ImportProblem[] };

/** The import service's result; the background answers a failure as a `failed` refusal. */
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
  storage?: StoreHealth; // whether the audit store can write (a full quota is shown by the popup)
}

/** One past or running audit, as the history list shows it. */
export type HistoryEntry = AuditSummary & {
  endedAt?: number; // absent while the audit runs
  running: boolean; // its tab is still under this audit
  counts?: Omit<AuditCounts, 'atSeq'>; // finding counts of its report, when one could be built
  reviewed: number; // findings with a review mark
};

/** Page-world channel tag; the relay ignores window messages without it. */
export const PAGE_CHANNEL = 'consent-auditor:page-hook:v1';

/**
 * Every request the background answers, with its response. Who may send each one is stated by the
 * background's handler table (entrypoints/background/message-handler.ts).
 */
export interface Protocol {
  status: { request: object; response: StatusResponse };
  'get-report': { request: { tabId: number }; response: AuditReport }; // the tab's current (or last ended) audit
  'get-snapshot': { request: { tabId: number }; response: ReportSnapshot }; // built now and kept in storage.session
  'get-observations': { request: { tabId: number }; response: Observation[] }; // of the tab's current audit
  'restart-audit': { request: { tabId: number }; response: AuditSummary }; // empty the tab's log, nothing cleared
  'clean-start': { request: { tabId: number }; response: CleanStartDone }; // clear the site's cookies and storage, reopen the page
  'container-audit': { request: { tabId: number }; response: ContainerAuditDone }; // Firefox: audit the page again in a cleared container
  'audit-site': { request: { tabId: number }; response: AuditSummary }; // audit the tab's site, against the law's baseline if it has no policy, and reload it
  'page-events': {
    // From the relay; sender.tab identifies the tab. Answered once the events are written.
    request: {
      events: PageEvent[];
      relay?: { id: string; seq: number }; // batch number per relay instance: a resent batch is recorded once
      integrity?: ChannelIntegrity; // what the relay rejected or lost since its previous batch
    };
    response: null;
  };
  'resource-timings': {
    // From the relay: the frame's Resource Timing entries (lib/collectors/resource-timing.ts). Answered once written.
    request: { entries: Array<{ url: string; start: number; initiator: string }> };
    response: null;
  };
  'consent-report': { request: { report: ConsentReport }; response: unknown }; // autoconsent's init response, else null
  'autoconsent-eval': { request: { id: string; snippetId: string }; response: unknown }; // the snippet's result
  'consent-action': {
    request: { tabId: number; action: 'accept' | 'reject'; selectors?: ConsentSelectors };
    response: ConsentActionDone;
  };
  'mark-consent': { request: { tabId: number; decision: ConsentDecision }; response: null }; // the auditor's own mark
  journey: { request: { tabId: number; goal: JourneyGoal }; response: JourneyResult }; // a journey step on the tab's banner
  'import-policy': { request: { text: string; source?: string }; response: PolicyImported };
  'import-knowledge': {
    request: { kind: KnowledgeImportKind; text: string; source?: string; category?: Category };
    response: KnowledgeImported;
  };
  'list-imports': { request: object; response: ImportsListing };
  'remove-import': { request: { kind: 'policy' | KnowledgeImportKind; id: string }; response: null };
  classify: { request: { url?: string; cookie?: { name: string; domain: string } }; response: ClassifyResponse };
  'list-history': { request: object; response: HistoryEntry[] }; // every kept audit, newest first, closed tabs included
  'get-audit-report': { request: { auditId: string }; response: AuditReport }; // any kept audit, by id
  'delete-audit': { request: { auditId: string }; response: null }; // the audit, its observations and its review marks
  'set-review': {
    // mark (or, with null, unmark) one finding of an audit; answers the audit's marks
    request: { auditId: string; findingId: string; mark: ReviewInput | null };
    response: Reviews;
  };
}

export type RequestType = keyof Protocol;
/** One request, by its type. */
export type Request<K extends RequestType> = { type: K } & Protocol[K]['request'];
/** Every request the background answers. */
export type BackgroundRequest = { [K in RequestType]: Request<K> }[RequestType];
export type Response<K extends RequestType> = Protocol[K]['response'];

/** Why the background did not do what was asked. */
export type RefusalCode =
  | 'not-allowed' // this sender may not send this request
  | 'bad-request' // not a request, an unknown type, a malformed field, or a file that does not parse
  | 'not-under-audit' // the named tab has no audit
  | 'not-ready' // the extension failed to start
  | 'failed'; // the request was valid but doing it failed

/** A problem in an imported file: where (line, CSV column, JSON pointer) and what. */
export interface Problem {
  message: string;
  line?: number;
  field?: string;
  path?: string;
}

/** The one shape of every refusal. */
export interface Refusal {
  ok: false;
  refusal: { code: RefusalCode; message: string; problems?: Problem[] };
}

/** The one shape of every answer. */
export type Answer<K extends RequestType> = { ok: true; value: Response<K> } | Refusal;

export function grant<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function refuse(code: RefusalCode, message: string, problems?: Problem[]): Refusal {
  return { ok: false, refusal: { code, message, ...(problems ? { problems } : {}) } };
}

type Fields = Record<string, unknown>;
const isTabId = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
const isString = (v: unknown) => typeof v === 'string';
const optional = (check: (v: unknown) => boolean) => (v: unknown) => v === undefined || check(v);
const isObject = (v: unknown): v is Fields => !!v && typeof v === 'object' && !Array.isArray(v);
const oneOf =
  <T extends string>(...values: T[]) =>
  (v: unknown) =>
    values.includes(v as T);
const withTab = (m: Fields) => isTabId(m.tabId);

function isConsentReport(r: unknown): boolean {
  if (!isObject(r)) return false;
  switch (r.kind) {
    case 'autoconsent':
      return isObject(r.message) && isString(r.message.type);
    case 'gesture':
      return typeof r.time === 'number' && isString(r.url) && isString(r.target);
    case 'generic-banner':
      return (
        typeof r.time === 'number' &&
        isString(r.url) &&
        isString(r.target) &&
        Array.isArray(r.words) &&
        Array.isArray(r.controls)
      );
    case 'storage-snapshot':
      return isString(r.origin) && isString(r.url) && Array.isArray(r.entries);
    default:
      return false;
  }
}

/**
 * The shape check of each request, and so the one list of request types: `satisfies` makes a
 * missing or an extra type a compile error. A field's content (a page's events, a file's text) is
 * the handler's to validate; this only makes sure the handler gets the fields its type promises.
 */
const REQUEST_CHECKS = {
  status: () => true,
  'get-report': withTab,
  'get-snapshot': withTab,
  'get-observations': withTab,
  'restart-audit': withTab,
  'clean-start': withTab,
  'container-audit': withTab,
  'audit-site': withTab,
  'page-events': (m) => Array.isArray(m.events),
  'resource-timings': (m) => Array.isArray(m.entries),
  'consent-report': (m) => isConsentReport(m.report),
  'autoconsent-eval': (m) => isString(m.id) && isString(m.snippetId),
  'consent-action': (m) =>
    withTab(m) &&
    oneOf('accept', 'reject')(m.action) &&
    optional((s) => isObject(s) && optional(isString)(s.accept) && optional(isString)(s.reject))(m.selectors),
  'mark-consent': (m) => withTab(m) && oneOf('accept', 'reject', 'custom')(m.decision),
  journey: (m) => withTab(m) && oneOf<JourneyGoal>(...JOURNEY_GOALS)(m.goal),
  'import-policy': (m) => isString(m.text) && optional(isString)(m.source),
  'import-knowledge': (m) =>
    oneOf('ocd', 'filters')(m.kind) &&
    isString(m.text) &&
    optional(isString)(m.source) &&
    optional(isCategory)(m.category),
  'list-imports': () => true,
  'remove-import': (m) => oneOf('policy', 'ocd', 'filters')(m.kind) && isString(m.id),
  classify: (m) =>
    optional(isString)(m.url) && optional((c) => isObject(c) && isString(c.name) && isString(c.domain))(m.cookie),
  'list-history': () => true,
  'get-audit-report': (m) => isString(m.auditId),
  'delete-audit': (m) => isString(m.auditId),
  'set-review': (m) =>
    isString(m.auditId) &&
    isString(m.findingId) &&
    (m.findingId as string).length <= 2000 &&
    (m.mark === null || isReviewInput(m.mark)),
} satisfies Record<RequestType, (message: Fields) => boolean>;

/** Every request type, once. */
export const REQUEST_TYPES = Object.keys(REQUEST_CHECKS) as RequestType[];
const KNOWN = new Set<unknown>(REQUEST_TYPES);

/** True for an object whose `type` is one of the protocol's request types (its fields unchecked). */
export function isBackgroundRequest(message: unknown): message is BackgroundRequest {
  return isObject(message) && KNOWN.has(message.type);
}

/** The request, or a `bad-request` refusal saying what is wrong with it. */
export function parseRequest(message: unknown): { ok: true; request: BackgroundRequest } | Refusal {
  if (!isObject(message)) return refuse('bad-request', 'not a request: expected an object with a type');
  if (!isBackgroundRequest(message))
    return refuse('bad-request', `unknown request type ${JSON.stringify(message.type)}`);
  if (!REQUEST_CHECKS[message.type](message)) return refuse('bad-request', `malformed ${message.type} request`);
  return { ok: true, request: message };
}

/** True for anything shaped like an answer: what crosses the transport is not trusted to be one. */
export function isAnswer(value: unknown): value is Answer<RequestType> {
  if (!isObject(value)) return false;
  if (value.ok === true) return 'value' in value;
  return value.ok === false && isObject(value.refusal) && isString(value.refusal.message);
}

/** The part of `runtime.MessageSender` the background reads. */
export interface Sender {
  id?: string; // the sending extension's id
  url?: string; // the sending page or frame
  frameId?: number;
  tab?: { id?: number; url?: string }; // set for content scripts, and for extension pages open in a tab
}

/**
 * Who sent a runtime message. The page world is never a sender: it cannot call extension APIs, and
 * what it posts reaches the background only inside a content script's (the relay's) request.
 */
export type SenderRole = 'extension-page' | 'content-script';

/** This extension as `runtime.MessageSender` names it: `runtime.id`, and `runtime.getURL('/')`. */
export interface SelfIdentity {
  id: string;
  origin: string;
}

/**
 * Decides a sender's role once. Our own pages (popup, options, a report tab) have our origin;
 * content scripts carry their tab and the web page's URL. Anything else (another extension, a
 * sender with neither) has no role and is refused everything.
 */
export function senderRole(sender: Sender, self: SelfIdentity): SenderRole | undefined {
  if (sender.id !== self.id || !sender.url) return undefined;
  if (sender.url.startsWith(self.origin)) return 'extension-page';
  if (sender.tab?.id !== undefined && sender.tab.id >= 0 && /^(https?|file|about|data|blob):/.test(sender.url))
    return 'content-script';
  return undefined;
}

/** Sends one message and resolves with whatever came back (`browser.runtime.sendMessage`, in the extension). */
export type Transport = (message: unknown) => Promise<unknown>;

/**
 * The one way extension pages and content scripts ask the background. It never throws: a transport
 * error (the worker restarting, no listener) or an answer of the wrong shape is a `failed` refusal.
 */
export function createSend(transport: Transport) {
  return async function send<R extends BackgroundRequest>(request: R): Promise<Answer<R['type']>> {
    let answer: unknown;
    try {
      answer = await transport(request);
    } catch (error) {
      return refuse(
        'failed',
        `the extension did not answer: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return isAnswer(answer) ? (answer as Answer<R['type']>) : refuse('failed', 'the extension did not answer');
  };
}

export type { Observation };
