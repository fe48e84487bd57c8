/**
 * The consent matrix as data: for each fixture page, what it does (the cookies it writes, the
 * requests it makes, the storage it fills) and when (at load, or in reaction to an accept or a
 * refusal), as tests/fixtures/sites/www.o2toit.com/consent/index.html documents it, with the findings
 * the audited policy (policies/o2toit.com.json) makes of each fact. Every expectation of a run is
 * computed from these facts: its exact findings with their phases, the stored cookies, the third
 * parties contacted, and the positive markers a run waits for before anything is said to be absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsentPhase } from '../../lib/observations';
import type { AuditReport } from '../../lib/report/types';
import { ROOT } from './harness/paths';
import { has, type ScenarioSpec } from './consent-scenarios';

export type Action = 'none' | 'accept' | 'reject';
/** When the page does something: at load (every run, before any decision), or after a choice. */
export type Moment = 'load' | 'accept' | 'reject';

export interface Fact {
  at: Moment[];
  /** A cookie written by a page script (no consent page sets one by header), with its requested lifetime. */
  cookie?: { name: string; domain: string; days: number };
  /** A request, by URL prefix. */
  request?: string;
  /** A web-storage key written by the page. */
  storage?: { area: 'localStorage' | 'sessionStorage'; key: string };
  /**
   * The findings (`rule:subject`) the policy makes of this fact, with the phase of the first occurrence
   * when it is not the fact's own. A cookie's lifetime finding is not listed: it is computed from
   * `days` and the policy's maximum.
   */
  raises?: Array<string | { id: string; phase: ConsentPhase }>;
}

export interface FixturePage {
  page: string;
  platform: string | undefined;
  selectors?: { accept: string; reject: string };
  /** What proves the choice reached the audit (beyond the facts it causes). */
  decided?: Record<'accept' | 'reject', (r: AuditReport) => boolean>;
  facts: Fact[];
}

const POLICY = JSON.parse(readFileSync(join(ROOT, 'policies/o2toit.com.json'), 'utf8')) as {
  maxCookieLifetime: { months: number };
};

/** True when a lifetime of `days` from now is longer than the policy's maximum, in calendar months. */
export function exceedsPolicy(days: number, now = Date.now()): boolean {
  const limit = new Date(now);
  limit.setUTCMonth(limit.getUTCMonth() + POLICY.maxCookieLifetime.months);
  return now + days * 864e5 > limit.getTime();
}

const stored = (decision: string) => (r: AuditReport) =>
  r.observations.consent.some(
    (c) => c.event === 'decision-stored' && c.decision === decision && c.phase !== 'before-consent',
  );
const tcfAction = (r: AuditReport) => r.observations.consent.some((c) => c.how.includes('useractioncomplete'));

export const ALL: Moment[] = ['load', 'accept', 'reject'];
const GTAG = 'https://www.googletagmanager.com/gtag/js?id=G-FIXTURE1';
const GA_HIT = (gcs: string) => `https://region1.google-analytics.com/g/collect?v=2&tid=G-FIXTURE1&gcs=${gcs}&`;
const GA_COOKIE = { name: '_ga', domain: 'o2toit.com', days: 730 };

/** gtag.js: its script, `_ga` (2 years) and one GA4 hit carrying Consent Mode `gcs`. */
export function gtag(at: Moment[], gcs: 'G100' | 'G111'): Fact[] {
  const before = at.includes('load');
  return [
    { at, request: GTAG, raises: before ? ['tracker-before-consent:google-tag-manager'] : [] },
    { at, cookie: GA_COOKIE, raises: before ? ['cookie-before-consent:_ga@o2toit.com'] : [] },
    {
      at,
      request: GA_HIT(gcs),
      raises: [
        ...(before ? ['tracker-before-consent:google-analytics'] : []),
        // G111: analytics and ads "granted" before anyone decided.
        ...(before && gcs === 'G111' ? ['consent-signal-before-decision:google-consent-mode'] : []),
      ],
    },
  ];
}

/** The Meta pixel: fbevents.js, `_fbp` (90 days) and the PageView image; `raises` goes on the script. */
export function metaPixel(at: Moment[], raises: Fact['raises'] = [], cookieRaises: Fact['raises'] = []): Fact[] {
  return [
    { at, request: 'https://connect.facebook.net/en_US/fbevents.js', raises },
    { at, cookie: { name: '_fbp', domain: 'o2toit.com', days: 90 }, raises: cookieRaises },
    { at, request: 'https://www.facebook.com/tr?id=1234&ev=PageView' },
  ];
}

/** The banners played in three runs each (no action, accept, refuse). */
export const BANNERS: FixturePage[] = [
  {
    // The 'tarteaucitron deny' variant: autoconsent's other tarteaucitron rule accepts before it refuses.
    page: 'tarteaucitron-deny.html',
    platform: 'tarteaucitron.js',
    decided: { accept: stored('accept'), reject: stored('reject') },
    facts: [
      { at: ALL, request: 'https://www.o2toit.com/consent/tarteaucitron.js' },
      // The consent cookie itself: exempt, and 365 days is within 13 months.
      { at: ['accept', 'reject'], cookie: { name: 'tarteaucitron', domain: 'www.o2toit.com', days: 365 } },
      ...gtag(['accept'], 'G100'),
    ],
  },
  {
    page: 'axeptio.html',
    platform: 'Axeptio',
    decided: { accept: stored('accept'), reject: stored('reject') },
    facts: [
      ...['axeptio_cookies', 'axeptio_authorized_vendors', 'axeptio_all_vendors'].map((name): Fact => ({
        at: ['accept', 'reject'],
        cookie: { name, domain: 'www.o2toit.com', days: 180 },
      })),
      ...metaPixel(['accept']),
      // The violation: the pixel is loaded after "Non merci" too.
      ...metaPixel(['reject'], ['tracking-after-refusal:meta-pixel']),
      // Written by the inline script, a key no knowledge source has: evidence only.
      { at: ['accept', 'reject'], storage: { area: 'localStorage', key: '_fbq_id' } },
    ],
  },
  {
    page: 'tcf.html',
    platform: 'IAB TCF CMP #300',
    selectors: { accept: '#tcf-accept', reject: '#tcf-reject' },
    decided: { accept: tcfAction, reject: tcfAction },
    facts: [
      // The TC string says "every purpose consented" while the banner still shows: a consent signal
      // before the decision, and purposes consented before any action (pre-ticked).
      { at: ['load'], raises: ['consent-signal-before-decision:iab-tcf', 'pre-ticked-choices:banner'] },
      // Rewritten by the choice; 390 days is within 13 months.
      { at: ALL, cookie: { name: 'euconsent-v2', domain: 'www.o2toit.com', days: 390 } },
      ...gtag(['load'], 'G111'),
      // `_ga`, set before the refusal, is never removed: tracking after the refusal (its phase), citing the load-time cookie.
      { at: ['reject'], raises: [{ id: 'tracking-after-refusal:google-analytics', phase: 'after-reject' }] },
    ],
  },
  {
    page: 'custom.html',
    platform: undefined,
    selectors: { accept: '#cc-accept', reject: '#cc-refuse' },
    facts: [
      ...gtag(['load'], 'G100'),
      {
        at: ['load'],
        storage: { area: 'localStorage', key: '_hjSessionUser_123456' },
        // Hotjar's visitor key: session recording, which the policy does not declare.
        raises: [
          'storage-before-consent:_hjSessionUser_123456@https://www.o2toit.com',
          'undeclared-category:session-recording',
        ],
      },
      // First-party and harmless.
      { at: ['load'], storage: { area: 'sessionStorage', key: 'o2_tab' } },
      // No knowledge source and no cookie list of the policy knows the banner's own cookie.
      {
        at: ['accept', 'reject'],
        cookie: { name: 'cc_consent', domain: 'www.o2toit.com', days: 180 },
        raises: ['unclassified-cookie:cc_consent@www.o2toit.com'],
      },
      ...metaPixel(['accept']),
      { at: ['reject'], raises: [{ id: 'tracking-after-refusal:google-analytics', phase: 'after-reject' }] },
    ],
  },
];

/** The hostile page (no action run only): forged consent, real trackers at once. */
export const HOSTILE: FixturePage = {
  page: 'hostile.html',
  platform: undefined,
  facts: [
    // Its own __tcfapi answers useractioncomplete with every purpose consented, at once: the page's
    // own claim cannot open a phase, but it is evidence against the page (purposes consented before any action).
    { at: ['load'], raises: ['consent-signal-before-decision:iab-tcf', 'pre-ticked-choices:banner'] },
    // A tarteaucitron consent cookie no visitor gave (365 days: within 13 months).
    { at: ['load'], cookie: { name: 'tarteaucitron', domain: 'www.o2toit.com', days: 365 } },
    ...gtag(['load'], 'G111'),
    ...metaPixel(['load'], ['tracker-before-consent:meta-pixel'], ['cookie-before-consent:_fbp@o2toit.com']),
  ],
};

const phaseOf = (moment: Moment): ConsentPhase =>
  moment === 'load' ? 'before-consent' : moment === 'accept' ? 'after-accept' : 'after-reject';
const ORDER: ConsentPhase[] = ['before-consent', 'after-accept', 'after-reject', 'after-custom'];

/** The facts of one run, each with the moment it happens in that run. */
export function factsOf(page: FixturePage, action: Action): Array<{ fact: Fact; moment: Moment }> {
  return page.facts.flatMap((fact) => {
    const moment = fact.at.includes('load') ? 'load' : action !== 'none' && fact.at.includes(action) ? action : null;
    return moment ? [{ fact, moment }] : [];
  });
}

export interface ExpectedFinding {
  id: string;
  rule: string;
  subject: string;
  phase: ConsentPhase;
}

/** Every finding of the run, with the phase of its first occurrence, sorted by id. */
export function expectedFindings(page: FixturePage, action: Action): ExpectedFinding[] {
  const first = new Map<string, ConsentPhase>();
  const raise = (id: string, phase: ConsentPhase) => {
    const known = first.get(id);
    if (!known || ORDER.indexOf(phase) < ORDER.indexOf(known)) first.set(id, phase);
  };
  for (const { fact, moment } of factsOf(page, action)) {
    for (const r of fact.raises ?? []) {
      if (typeof r === 'string') raise(r, phaseOf(moment));
      else raise(r.id, r.phase);
    }
    if (fact.cookie && exceedsPolicy(fact.cookie.days))
      raise(`cookie-lifetime-exceeds-policy:${fact.cookie.name}@${fact.cookie.domain}`, phaseOf(moment));
  }
  return [...first]
    .map(([id, phase]) => {
      const at = id.indexOf(':');
      return { id, rule: id.slice(0, at), subject: id.slice(at + 1), phase };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** The cookies the browser stores in the run (names), from the facts. */
export const expectedCookies = (page: FixturePage, action: Action): string[] =>
  [...new Set(factsOf(page, action).flatMap(({ fact }) => (fact.cookie ? [fact.cookie.name] : [])))].sort();

/** The third-party hosts the run contacts, from the facts' requests. */
export const expectedThirdParties = (page: FixturePage, action: Action): string[] =>
  [
    ...new Set(
      factsOf(page, action).flatMap(({ fact }) => {
        const host = fact.request ? new URL(fact.request).host : undefined;
        return host && !host.endsWith('o2toit.com') ? [host] : [];
      }),
    ),
  ].sort();

/** The report shows the fact, in the right phase: a positive marker that the page did it. */
function observed({ fact, moment }: { fact: Fact; moment: Moment }): (r: AuditReport) => boolean {
  const inPhase = (phase: ConsentPhase | undefined) =>
    moment === 'load' ? true : phase !== undefined && phase !== 'before-consent';
  return (r) =>
    (!fact.cookie ||
      r.observations.cookies.some(
        (c) => c.name === fact.cookie!.name && c.via === 'cookies-api' && inPhase(c.phase),
      )) &&
    (!fact.request || r.observations.requests.some((q) => q.url.startsWith(fact.request!) && inPhase(q.phase))) &&
    (!fact.storage ||
      r.observations.storage.some(
        (s) => s.area === fact.storage!.area && s.key === fact.storage!.key && s.action === 'set' && inPhase(s.phase),
      ));
}

/**
 * The scenario of one run. `ready`: the page loaded, its banner known and every load-time fact in the
 * report. `settled`: that, the decision, and every fact the choice causes. Both are positive markers,
 * and runScenario adds a last one (a request made once they hold): a run's absences (no other finding,
 * cookie or third party) are judged only then.
 */
export function specOf(page: FixturePage, action: Action): ScenarioSpec {
  const onLoad = factsOf(page, 'none').map(observed);
  const ready = has.all(...(page.platform ? [has.banner(page.platform)] : []), ...onLoad);
  const after = action === 'none' ? [] : factsOf(page, action).filter((f) => f.moment === action);
  return {
    page: page.page,
    action,
    ...(page.selectors && action !== 'none' ? { selectors: page.selectors } : {}),
    ready,
    settled: has.all(
      ready,
      ...(action !== 'none' && page.decided ? [page.decided[action]] : []),
      ...after.map(observed),
    ),
  };
}
