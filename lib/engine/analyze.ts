import type { Classification, Knowledge } from '../knowledge/types';
import type { Observation, RequestObservation, Scenario, StorageObservation } from '../observations';
import { classificationFromPolicy, declaredCookie } from '../policy/coverage';
import type { DeclaredPolicy } from '../policy/types';
import { cookieWrites, isConfirmed, type CookieWrite } from './cookie-writes';
import { assignPhases, type PhaseResult } from './phases';

/**
 * The analysis of a session, computed once and read by every rule, the report and the cookie
 * snapshot: phases assigned once, cookie writes paired once, each distinct subject (request URL,
 * cookie, storage key) classified once.
 */

/** Phases and cookie writes of one consent timeline (a scenario run, or the whole session). */
export interface Timeline extends PhaseResult {
  scenario?: Scenario;
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
  const phases = assignPhases(observations);
  const all = cookieWrites(phases.observations);
  return { ...phases, ...(scenario ? { scenario } : {}), allCookieWrites: all, cookieWrites: all.filter(isConfirmed) };
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
  return { ...session, policy, knowledge, timelines, classify: classifications(policy, knowledge) };
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
 * many observations is classified once. Subject keys are length-prefixed, so never ambiguous.
 */
export function classifications(policy: DeclaredPolicy, knowledge: Knowledge): Classifications {
  const memo = <K>() => {
    const map = new Map<K, Classification | null>();
    return (key: K, compute: () => Classification | undefined): Classification | undefined => {
      const hit = map.get(key);
      if (hit !== undefined) return hit ?? undefined;
      const value = compute();
      map.set(key, value ?? null);
      return value;
    };
  };
  const urls = memo<string>();
  const known = memo<string>();
  const cookies = memo<string>();
  const storage = memo<string>();
  const requestsSeen = memo<object>();
  const knownSeen = memo<object>();
  const cookiesSeen = memo<object>();
  const storageSeen = memo<object>();
  const url = (u: string, type: string, sourceUrl: string) =>
    urls(`${type}\n${sourceUrl.length}\n${sourceUrl}${u}`, () => knowledge.classifyUrl(u, { type, sourceUrl }));
  const knownCookie = (w: Pick<CookieWrite, 'name' | 'domain'>) =>
    knownSeen(w, () =>
      known(`${w.name.length}\n${w.name}${w.domain}`, () => knowledge.classifyCookie(w.name, w.domain)),
    );
  const byPolicy = (name: string) => {
    const declared = declaredCookie(policy, name);
    if (!declared) return undefined;
    const vendorName = declared.vendor ? knowledge.vendor(declared.vendor)?.name : undefined;
    return classificationFromPolicy(policy, declared, vendorName);
  };
  return {
    url,
    request: (o) => requestsSeen(o, () => url(o.url, o.type, o.initiator ?? `https://${o.topSite}/`)),
    knownCookie,
    cookie: (w) =>
      cookiesSeen(w, () => cookies(`${w.name.length}\n${w.name}${w.domain}`, () => knownCookie(w) ?? byPolicy(w.name))),
    storage: (o) =>
      storageSeen(o, () =>
        storage(`${o.key.length}\n${o.key}${o.origin}`, () => knowledge.classifyStorageKey(o.key, o.origin)),
      ),
  };
}
