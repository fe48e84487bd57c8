import { canonicalNames, withCloaking } from '../knowledge/cloaking';
import type { Classification, Knowledge } from '../knowledge/types';
import type {
  ConsentObservation,
  CookieObservation,
  FingerprintObservation,
  Observation,
  PageObservation,
  RequestObservation,
  Scenario,
  StorageObservation,
} from '../observations';
import { classificationFromPolicy, declaredCookie } from '../policy/coverage';
import type { DeclaredPolicy } from '../policy/types';
import { cookieWrites, isConfirmed, type CookieWrite } from './cookie-writes';
import { assignPhases, type Phased, type PhaseResult } from './phases';
import { activatePrerendered } from './prerender';

/**
 * The analysis of a session, computed once and read by every rule, the report and the cookie
 * snapshot: phases assigned once, cookie writes paired once, each distinct subject (request URL,
 * cookie, storage key) classified once.
 */

/**
 * A timeline's observations of each kind, in `seq` order like `observations`. A rule that reads one
 * kind walks its list, not the whole session: most of 50,000 observations are of another kind.
 */
export interface ObservationsByKind {
  request: Array<Phased<RequestObservation>>;
  cookie: Array<Phased<CookieObservation>>;
  storage: Array<Phased<StorageObservation>>;
  consent: Array<Phased<ConsentObservation>>;
  fingerprint: Array<Phased<FingerprintObservation>>;
  page: Array<Phased<PageObservation>>;
}

/** Phases and cookie writes of one consent timeline (a scenario run, or the whole session). */
export interface Timeline extends PhaseResult {
  scenario?: Scenario;
  /** `observations` split by kind (same objects). */
  byKind: ObservationsByKind;
  /** Every logical cookie write, confirmed by the browser or not. */
  allCookieWrites: CookieWrite[];
  /** Cookie writes the browser confirms (see isConfirmed); rules judge only these. */
  cookieWrites: CookieWrite[];
}

/** Classification of observations, memoised: the same subject is looked up once per analysis. */
export interface Classifications {
  /** A request, with its type and page, which filter-list sources need. */
  request(o: Pick<RequestObservation, 'url' | 'type' | 'initiator' | 'topSite'>): Classification | undefined;
  /** A URL loaded as `type` by the page `sourceUrl`. */
  url(url: string, type: string, sourceUrl: string): Classification | undefined;
  /** A cookie by the knowledge sources only (what the cookie *is*). */
  knownCookie(w: Pick<CookieWrite, 'name' | 'domain'>): Classification | undefined;
  /** A cookie by the knowledge sources, then by the policy's own cookie list (what the site *says* it is). */
  cookie(w: Pick<CookieWrite, 'name' | 'domain'>): Classification | undefined;
  /** A web-storage key of an origin. */
  storage(o: Pick<StorageObservation, 'key' | 'origin'>): Classification | undefined;
}

export interface Analysis extends Timeline {
  policy: DeclaredPolicy;
  knowledge: Knowledge;
  /** Each scenario's own timeline, in the order the scenarios first appear; the session's own when there is one. */
  timelines: Timeline[];
  classify: Classifications;
}

function timelineOf(observations: readonly Observation[], scenario?: Scenario): Timeline {
  const phases = assignPhases(activatePrerendered(observations));
  const byKind = byKindOf(phases.observations);
  const all = cookieWrites(byKind.cookie);
  return {
    ...phases,
    ...(scenario ? { scenario } : {}),
    byKind,
    allCookieWrites: all,
    cookieWrites: all.filter(isConfirmed),
  };
}

function byKindOf(observations: readonly Phased[]): ObservationsByKind {
  const byKind: ObservationsByKind = { request: [], cookie: [], storage: [], consent: [], fingerprint: [], page: [] };
  for (const o of observations) {
    switch (o.kind) {
      case 'request':
        byKind.request.push(o);
        break;
      case 'cookie':
        byKind.cookie.push(o);
        break;
      case 'storage':
        byKind.storage.push(o);
        break;
      case 'consent':
        byKind.consent.push(o);
        break;
      case 'fingerprint':
        byKind.fingerprint.push(o);
        break;
      case 'page':
        byKind.page.push(o);
        break;
    }
  }
  return byKind;
}

/** Phases and cookie writes of the whole session, without classification (the cookie snapshot needs no more). */
export function analyzeTimeline(observations: readonly Observation[]): Timeline {
  return timelineOf(observations);
}

/**
 * Observations from several scenario runs (the `scenario` field) get a timeline each, since each run
 * has its own consent timeline; a session of one scenario reuses the session's own, and an empty
 * session has none.
 */
export function analyze(observations: readonly Observation[], policy: DeclaredPolicy, knowledge: Knowledge): Analysis {
  const session = timelineOf(observations);
  const only = observations[0]?.scenario;
  // No observation, no scenario: the rules have nothing to judge.
  const timelines = !observations.length
    ? []
    : observations.every((o) => o.scenario === only)
      ? [only ? { ...session, scenario: only } : session]
      : [...groupByScenario(observations)].map(([scenario, group]) => timelineOf(group, scenario));
  // Hosts of the site whose DNS name is a tracker's are the tracker's (lib/knowledge/cloaking.ts).
  const seen = withCloaking(knowledge, canonicalNames(observations));
  return { ...session, policy, knowledge, timelines, classify: classifications(policy, seen) };
}

/** Observations by scenario, in the order the scenarios first appear. */
function groupByScenario(observations: readonly Observation[]): Map<Scenario | undefined, Observation[]> {
  const byScenario = new Map<Scenario | undefined, Observation[]>();
  for (const o of observations) {
    const list = byScenario.get(o.scenario);
    if (list) list.push(o);
    else byScenario.set(o.scenario, [o]);
  }
  return byScenario;
}

/**
 * Memoised lookups; `undefined` answers are remembered too. Each observation or write is looked up
 * by identity first (rules ask about the same objects), then by its subject, so a subject seen in
 * many observations is classified once. Subjects are keyed by their own strings in nested maps, not
 * by a joined key: a recorded string hashes once and is then found at the cost of a lookup, where a
 * joined key would be built and hashed again on every call (this runs for every observation of a
 * long session, in several rules).
 */
export function classifications(policy: DeclaredPolicy, knowledge: Knowledge): Classifications {
  type Memo = Map<unknown, Classification | null>;
  const remember = (map: Memo, key: unknown, compute: () => Classification | undefined) => {
    const hit = map.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const value = compute();
    map.set(key, value ?? null);
    return value;
  };
  /** The memo at `keys` of nested maps, made on first use. */
  const level = (root: Map<string, unknown>, ...keys: string[]): Memo => {
    let map = root;
    for (const key of keys) {
      let next = map.get(key) as Map<string, unknown> | undefined;
      if (!next) map.set(key, (next = new Map()));
      map = next;
    }
    return map as Memo;
  };
  const urls = new Map<string, unknown>();
  const known = new Map<string, unknown>();
  const cookies = new Map<string, unknown>();
  const storage = new Map<string, unknown>();
  const requestsSeen: Memo = new Map();
  const knownSeen: Memo = new Map();
  const cookiesSeen: Memo = new Map();
  const storageSeen: Memo = new Map();
  const pageOf = new Map<string, string>(); // top site → its page URL, built once
  const url = (u: string, type: string, sourceUrl: string) =>
    remember(level(urls, type, sourceUrl), u, () => knowledge.classifyUrl(u, { type, sourceUrl }));
  const knownCookie = (w: Pick<CookieWrite, 'name' | 'domain'>) =>
    remember(knownSeen, w, () =>
      remember(level(known, w.domain), w.name, () => knowledge.classifyCookie(w.name, w.domain)),
    );
  const byPolicy = (name: string) => {
    const declared = declaredCookie(policy, name);
    if (!declared) return undefined;
    const vendorName = declared.vendor ? knowledge.vendor(declared.vendor)?.name : undefined;
    return classificationFromPolicy(policy, declared, vendorName);
  };
  const sourceOf = (o: Pick<RequestObservation, 'initiator' | 'topSite'>) => {
    if (o.initiator) return o.initiator;
    let page = pageOf.get(o.topSite);
    if (page === undefined) pageOf.set(o.topSite, (page = `https://${o.topSite}/`));
    return page;
  };
  return {
    url,
    request: (o) => remember(requestsSeen, o, () => url(o.url, o.type, sourceOf(o))),
    knownCookie,
    cookie: (w) =>
      remember(cookiesSeen, w, () =>
        remember(level(cookies, w.domain), w.name, () => knownCookie(w) ?? byPolicy(w.name)),
      ),
    storage: (o) =>
      remember(storageSeen, o, () =>
        remember(level(storage, o.origin), o.key, () => knowledge.classifyStorageKey(o.key, o.origin)),
      ),
  };
}
