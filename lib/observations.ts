import type { BannerMeasure } from './journey';

/**
 * Our own observation records. Every raw browser event (webRequest, cookies.onChanged,
 * a page-world hook report) is normalised into one of these at the edge, so the engine
 * never sees a browser type. Records are append-only and ordered by `seq`.
 */

/** Where a record came from. Page-world reports are untrusted: the page can forge or hide them. */
export type ObservationSource =
  | 'webRequest' // the browser's network layer: trusted
  | 'webNavigation' // the browser's navigation events (history API, back/forward cache, prerender activation): trusted
  | 'cookies-api' // cookies.onChanged: trusted, but reports the capped (effective) expiry
  | 'page-hook' // our main-world script: untrusted
  | 'extension' // the extension itself (user marks in the popup, automated choices)
  | 'page-state' // read by our isolated-world content script from page state (cookies, APIs)
  | 'dns-api'; // the browser's own resolver (Firefox dns.resolve): trusted

/** `after-withdrawal`: consent was given, then withdrawn (a refusal that follows an accept or a custom choice). */
export type ConsentPhase = 'before-consent' | 'after-accept' | 'after-reject' | 'after-custom' | 'after-withdrawal';

/**
 * A consent scenario of a scripted audit; `interactive` is a person browsing with the extension.
 * The journeys (lib/journey.ts): `revisit-accept` and `revisit-reject` decide, reload and
 * visit a second page; `withdrawal` accepts then withdraws; `layers` measures the banner's layers.
 */
export type Scenario =
  'interactive' | 'none' | 'accept' | 'reject' | 'revisit-accept' | 'revisit-reject' | 'withdrawal' | 'layers';

interface ObservationBase {
  /** Monotonic sequence number within one audit; total order of events. */
  seq: number;
  /** Milliseconds since the epoch, when the extension saw the event. */
  time: number;
  tabId: number;
  /** 0 for the top frame; -1 when the browser does not tell (cookies API). */
  frameId: number;
  /** The URL of the event: request URL, or the document URL for page-world reports. */
  url: string;
  /** Registrable domain of the top-level document when the event happened (e.g. `example.fr`). */
  topSite: string;
  source: ObservationSource;
  /**
   * Absent when recorded. `assignPhases` (lib/engine/phases.ts) gives each observation its phase
   * when an audit is judged, walking all of them in time order, so an event delivered late still
   * falls in the phase of the moment it happened.
   */
  phase?: ConsentPhase;
  /** Set when several scenario runs are merged into one report. */
  scenario?: Scenario;
}

/** How a cookie came to be observed being written. */
export type CookieVia = 'set-cookie-header' | 'document.cookie' | 'cookieStore' | 'cookies-api';

export interface CookieObservation extends ObservationBase {
  kind: 'cookie';
  action: 'set' | 'changed' | 'removed';
  name: string;
  /** Cookie domain as the browser stores it, without a leading dot; host-only cookies have their host. */
  domain: string;
  path: string;
  hostOnly?: boolean;
  via: CookieVia;
  /** The raw header or `document.cookie` string, truncated; evidence for the requested lifetime. */
  raw?: string;
  /** True when no expiry was requested (session cookie). */
  session: boolean;
  /** Expiry the site asked for, ms since the epoch (from Max-Age or Expires); absent for session cookies. */
  requestedExpiry?: number;
  /** Expiry the browser actually stored (capped at 400 days), ms since the epoch. */
  effectiveExpiry?: number;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: string;
  /** Present for partitioned cookies (CHIPS / Firefox Total Cookie Protection). */
  partitionKey?: string;
  /** Length of the value; values themselves are not kept (exports must not leak identifiers). */
  valueLength?: number;
  /** Script URL that made a page-world write, from the stack, when known. */
  initiator?: string;
  /** The page had changed how stack traces are made (Error.prepareStackTrace...): `initiator` may be its choice. */
  initiatorShaped?: boolean;
  /**
   * Read from the browser's cookie store when a report was built, not from a change event: the
   * browser dropped or delayed the event (Firefox can), but the stored cookie shows its effective expiry.
   */
  snapshot?: boolean;
  /**
   * The browser refused to store the requested cookie, and why: the string alone says so (a
   * `Domain=` of another site), or a store snapshot found nothing where the write should be (no
   * cookies-API change either). A refused write is never a cookie and raises no cookie finding.
   */
  refused?: string;
  /**
   * Digests of the value and of its dot-separated tails (lib/collectors/redact.ts), so a URL
   * parameter carrying this cookie's value can be redacted. Internal: never in a report.
   */
  valueDigests?: string[];
  /**
   * `<hash>:<digest>` of the value's MD5, SHA-1 and SHA-256 hex (lib/collectors/sync-digests.ts), so a
   * request carrying a hash of this cookie is recognised. Internal: never in a report.
   */
  hashDigests?: string[];
}

/**
 * A cookie or storage identifier whose value a request carried to another site (cookie syncing),
 * found by digests over the whole audit (lib/report/shared-identifiers.ts). Names both ends; no value.
 */
export interface SharedIdentifier {
  kind: 'cookie' | 'storage';
  /** Cookie name or storage key. */
  name: string;
  /** Cookie domain, or the storage origin. */
  domain: string;
  /** Sequence number of the identifier's first recorded write. */
  seq: number;
  /** How the request carried it: the value itself, or base64 text holding it. */
  encoding: 'raw' | 'base64';
  /** The request carried a hash of the value rather than the value. */
  hash?: 'md5' | 'sha1' | 'sha256';
  /** Where: `query <name>`, `fragment <name>`, `path <index>` in the URL; `body form <name>`, `body json <path>`, `body text`. */
  at: string;
}

export type RequestType =
  | 'main_frame'
  | 'sub_frame'
  | 'script'
  | 'xmlhttprequest'
  | 'image'
  | 'stylesheet'
  | 'font'
  | 'ping'
  | 'media'
  | 'websocket'
  | 'other';

export interface RequestObservation extends ObservationBase {
  kind: 'request';
  requestId: string;
  method: string;
  type: RequestType;
  /** Host of the request URL. */
  host: string;
  /** Registrable domain of the request URL. */
  site: string;
  thirdParty: boolean;
  /**
   * webRequest did not report it (the worker was stopped); the browser's Resource Timing entries of
   * the page, read from the isolated world, did (lib/collectors/resource-timing.ts). Source `page-state`.
   */
  seenBy?: 'resource-timing';
  /** URL of the document or worker that started the request, when the browser tells. */
  initiator?: string;
  /**
   * Sent by a service worker of the audited site (webRequest's `tabId` -1), attributed to the audit
   * of the site that registered it (by `initiator`): no tab or frame is known.
   */
  fromServiceWorker?: boolean;
  /**
   * Chromium: sent by a prerendered page the visitor had not seen yet (`documentLifecycle`
   * `prerender`); the page's `documentId`. The engine judges it at the page's activation (a
   * `page` record with the same `documentId`), or not at all if the page was never shown.
   */
  prerendered?: string;
  /** Set by the engine on a prerendered request: when it was really sent (`time` is then its activation's). */
  prerenderedAt?: number;
  /** HTTP status once the response arrived. */
  statusCode?: number;
  /** Google Consent Mode parameters carried by a GA4 / Ads hit (`gcs` decoded, `gcd` raw). */
  consentMode?: {
    gcs?: string;
    gcd?: string;
    adStorage?: 'granted' | 'denied' | 'unset';
    analyticsStorage?: 'granted' | 'denied' | 'unset';
  };
  /** Digests of the values a third-party request's URL and body carry (lib/collectors/sync-digests.ts, request-body.ts). Internal: never in a report. */
  carried?: Array<{ digest: string; encoding: 'raw' | 'base64'; at: string }>;
  /** Identifiers of the audit this request carried to its site (cookie syncing); values never recorded. */
  sharedIdentifiers?: SharedIdentifier[];
}

export type ConsentDecision = 'accept' | 'reject' | 'custom';

/** What a banner control's words say (lib/consent/control-words.ts). */
export type ControlKind = 'accept' | 'refuse' | 'settings' | 'close' | 'withdraw' | 'save';

/**
 * Where a decision's time comes from: a real click on the page, the auditor's mark in the popup
 * (no click shortly before it), the extension's own action, or the page's own report of it.
 */
export type DecisionTimeSource = 'click' | 'mark' | 'extension-action' | 'page-report';

/** A control of a banner found by its shape (not a known platform), as measured on screen. */
export interface BannerControl {
  /** What its words say; absent when they say none of the kinds. */
  kind?: ControlKind;
  /** Its visible text (or accessible name when it has none), first 80 characters. */
  text: string;
  /** Bounding box, CSS pixels. */
  width: number;
  height: number;
  /** Computed styles: `color`, `background-color`, `font-size`. */
  color: string;
  background: string;
  fontSize: string;
  /** 1 for the banner's first layer; a settings layer opened from it is 2. */
  layer: number;
}

export interface ConsentObservation extends ObservationBase {
  kind: 'consent';
  /**
   * `user-gesture`: a real (isTrusted) click or key press in the page, seen from the isolated
   * world; it corroborates a decision that only the page's own state reports.
   * `action-result`: the outcome of an automated choice (autoconsent opt-in/out, self-test).
   * `banner-measured`: the extension measured the banner's layers and controls (`measure`).
   * `withdrawal-not-found`: the extension looked for a way to withdraw consent and found none.
   */
  event:
    | 'banner-detected'
    | 'banner-shown'
    | 'decision'
    | 'decision-stored'
    | 'user-gesture'
    | 'action-result'
    | 'banner-measured'
    | 'withdrawal-not-found';
  decision?: ConsentDecision;
  /** Consent platform name, when known (e.g. `tarteaucitron.js`). */
  platform?: string;
  /** How the event was established, in plain words (e.g. `auditor mark in popup`). */
  how: string;
  /** Whether the event comes from a trusted channel. Untrusted events never open a consent phase alone. */
  trusted: boolean;
  /**
   * For an untrusted decision the page's own state reports (consent cookie, TCF event): it opens a
   * phase only when a real user gesture came shortly before it.
   */
  needsGesture?: boolean;
  /** The control involved (CSS selector or element description), for clicks and automated choices. */
  selector?: string;
  /**
   * For a `user-gesture`: what the control hit means (from its label). The gesture corroborates only
   * a page-reported decision of this kind; a gesture on a control of unknown meaning corroborates nothing.
   */
  control?: ConsentDecision;
  /** For a `user-gesture` or a click decision: the control's kind, from its words. */
  controlKind?: ControlKind;
  /** For a `user-gesture`: the control is inside a consent banner (known platform or by its shape). */
  inBanner?: boolean;
  /** For a banner found by its shape (`banner-shown`, not a known platform): its controls and consent words. */
  banner?: { kind: 'generic'; words: string[]; controls: BannerControl[] };
  /** For a decision: where its time comes from. */
  timeSource?: DecisionTimeSource;
  /**
   * For the auditor's mark dated at a real click just before it (lib/engine/phases.ts): when the
   * mark was made, and the click whose time the decision took.
   */
  markedAt?: number;
  adoptedClick?: { time: number; target: string };
  /** Outcome of an automated choice or autoconsent self-test. */
  result?: boolean;
  /** A `reject` decision that withdraws a consent given earlier: it opens the `after-withdrawal` phase. */
  withdrawal?: boolean;
  /** For `banner-measured`: the banner's layers, controls and choices as the extension measured them. */
  measure?: BannerMeasure;
  /** IAB TCF signal carried by the event (TC string decoded). */
  tcf?: {
    cmpId: number;
    purposeConsents: number[];
    vendorConsents: number;
    /** First characters of the TC string, to recognise it in the raw cookie without keeping it whole. */
    prefix: string;
    eventStatus?: string;
  };
}

export interface StorageObservation extends ObservationBase {
  kind: 'storage';
  area: 'localStorage' | 'sessionStorage' | 'indexedDB' | 'cookieStore';
  /** `snapshot`: the key was present when storage was read at page load or at a consent change. */
  action: 'set' | 'remove' | 'clear' | 'open' | 'snapshot';
  key: string;
  valueLength?: number;
  /** Digests of a short stored value, as for cookies (`identifierDigests`), to redact URLs carrying it. Internal: never in a report. */
  valueDigests?: string[];
  /**
   * `<hash>:<digest>` of the value's MD5, SHA-1 and SHA-256 hex, read back by the isolated-world relay
   * (lib/collectors/storage-hashes.ts), as cookies have them. Internal: never in a report.
   */
  hashDigests?: string[];
  /** Script URL that made the write, from the stack, when known. */
  initiator?: string;
  /** The page had changed how stack traces are made (Error.prepareStackTrace...): `initiator` may be its choice. */
  initiatorShaped?: boolean;
  /**
   * `snapshot`: the hook did not report this write; the isolated world's storage snapshots found
   * the key added or changed (or the database created) between two readings. Time is the reading's.
   */
  seenBy?: 'snapshot';
  /** Origin of the frame whose storage was written. */
  origin: string;
}

/**
 * A fingerprinting probe (canvas readback, WebGL unmasked renderer, audio rendering, font
 * enumeration) that met its heuristic (lib/collectors/fingerprint.ts), as the page-world hook
 * reported it: once per technique and script. Source `page-hook`, untrusted: a page can hide its
 * probes from the hook, or make one appear to come from another of its scripts, but the probes
 * happen on the audited site either way.
 */
export interface FingerprintObservation extends ObservationBase {
  kind: 'fingerprint';
  technique: 'canvas' | 'webgl' | 'audio' | 'fonts';
  /** What met the threshold, in plain words. */
  detail: string;
  /** Script URL that made the probe, from the stack, when known. */
  initiator?: string;
  initiatorShaped?: boolean;
  /** Origin of the frame the probe ran in. */
  origin: string;
}

/**
 * A page the visitor saw that no top-level document request shows, from webNavigation (trusted):
 * - `history`: `history.pushState` / `replaceState` (single-page applications), no document load;
 * - `back-forward-cache`: a page restored from the back/forward cache, with no new request;
 * - `prerender-activation`: a prerendered page shown to the visitor (Chromium), `documentId` names it.
 */
export interface PageObservation extends ObservationBase {
  kind: 'page';
  navigation: 'history' | 'back-forward-cache' | 'prerender-activation';
  /** Chromium's document id, when the browser tells. */
  documentId?: string;
}

/**
 * The canonical name the browser's resolver gave for a host of the audited site (Firefox
 * `dns.resolve(host, ["canonical_name"])`), recorded once per host and audit when it differs from
 * the host: the evidence of CNAME cloaking (lib/knowledge/cloaking.ts). Source `dns-api`.
 */
export interface DnsObservation extends ObservationBase {
  kind: 'dns';
  host: string;
  /** The end of the host's CNAME chain. */
  canonicalName: string;
}

export type Observation =
  | CookieObservation
  | RequestObservation
  | ConsentObservation
  | StorageObservation
  | FingerprintObservation
  | PageObservation
  | DnsObservation;

export type ObservationKind = Observation['kind'];

/** An observation before the recorder stamps it with `seq`. */
export type UnsequencedObservation = Observation extends infer O
  ? O extends Observation
    ? Omit<O, 'seq'>
    : never
  : never;

/** What the relay refused or could not deliver, reported to the background as counts. */
export interface ChannelIntegrity {
  forged: number; // messages on window with our channel tag (our hook never posts on window)
  oversized: number; // messages above MAX_MESSAGE_CHARS
  malformed: number; // port messages that are no valid hook event
  lost: number; // genuine events the background never acknowledged after every retry
}
