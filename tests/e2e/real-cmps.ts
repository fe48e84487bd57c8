/**
 * The real consent libraries of tests/fixtures/sites/www.o2toit.com/real-cmps/ as data: for each page,
 * what it plants (the library's own consent cookie, the tracker it gates, the one violation pasted
 * outside it) and when, in the shape of consent-expectations.ts, so that each run's exact findings
 * are computed from these facts and the policy (policies/o2toit.com.json), never copied from output.
 */
import {
  ALL,
  expectedFindings,
  factsOf,
  gtag,
  metaPixel,
  type Action,
  type ExpectedFinding,
  type FixturePage,
} from './consent-expectations';

export interface RealCmp extends FixturePage {
  /** The npm package the page loads from /vendor/. */
  pkg: string;
  /** The platform the report names: autoconsent's rule, or the shape detector. */
  platform: string;
  /** The autoconsent rule (or shape) that made the choice. */
  actor: string;
  /** The library's own consent cookie, and the choice its value says (undefined: none yet). */
  consentCookie: { name: string; choice: (value: string) => 'accept' | 'reject' | undefined };
  /** The platform the report names when it reads the decision the library stored in its cookie. */
  storedBy: string;
  /**
   * The tracker cookies the library itself deletes when consent is withdrawn (the site's footer
   * control reopens its choices, and the refusal is made there), as its code does for this page's
   * configuration.
   */
  removesOnWithdrawal: string[];
}

/** The vendor each tracker cookie of the pages belongs to (the stand-ins of gtag.js and the Meta pixel). */
const VENDOR_OF_COOKIE: Record<string, string> = { _ga: 'google-analytics', _fbp: 'meta-pixel' };

const json = (value: string): unknown => JSON.parse(decodeURIComponent(value));

export const REAL_CMPS: RealCmp[] = [
  {
    pkg: 'tarteaucitronjs',
    page: 'tarteaucitron.html',
    platform: 'tarteaucitron.js',
    actor: 'tarteaucitron deny',
    consentCookie: {
      name: 'tarteaucitron',
      // `!gtag=wait` at load, then true or false.
      choice: (v) => (v.includes('!gtag=true') ? 'accept' : v.includes('!gtag=false') ? 'reject' : undefined),
    },
    storedBy: 'tarteaucitron.js',
    // The gtag service lists _ga among its cookies; tarteaucitron purges them when it is refused.
    removesOnWithdrawal: ['_ga'],
    facts: [
      // Written at load (`!gtag=wait`), rewritten by the choice; 365 days is within 13 months, exempt.
      { at: ALL, cookie: { name: 'tarteaucitron', domain: 'www.o2toit.com', days: 365 } },
      // The violation: the Meta pixel pasted outside tarteaucitron.
      ...metaPixel(['load'], ['tracker-before-consent:meta-pixel'], ['cookie-before-consent:_fbp@o2toit.com']),
      // `_fbp`, set before the refusal, is never removed.
      { at: ['reject'], raises: [{ id: 'tracking-after-refusal:meta-pixel', phase: 'after-reject' }] },
      // The "gtag" service, started by tarteaucitron after an accept only.
      ...gtag(['accept'], 'G100'),
    ],
  },
  {
    pkg: 'klaro',
    page: 'klaro.html',
    platform: 'Klaro',
    actor: 'Klaro',
    consentCookie: {
      name: 'klaro',
      choice: (v) => {
        const ga = (json(v) as Record<string, boolean>)['google-analytics'];
        return ga === true ? 'accept' : ga === false ? 'reject' : undefined;
      },
    },
    storedBy: 'Klaro',
    // The service's cookies: [/^_ga(_.*)?/] deletes a host-only cookie only; _ga is on o2toit.com.
    removesOnWithdrawal: [],
    facts: [
      // The violation: a Hotjar visitor key, session recording the policy does not declare.
      {
        at: ['load'],
        storage: { area: 'localStorage', key: '_hjSessionUser_123456' },
        raises: [
          'storage-before-consent:_hjSessionUser_123456@https://www.o2toit.com',
          'undeclared-category:session-recording',
        ],
      },
      { at: ['accept', 'reject'], cookie: { name: 'klaro', domain: 'www.o2toit.com', days: 365 } },
      // The data-name="google-analytics" script tag, turned on by Klaro after an accept only.
      ...gtag(['accept'], 'G100'),
    ],
  },
  {
    pkg: 'vanilla-cookieconsent',
    page: 'vanilla-cookieconsent.html',
    platform: 'vanilla-cookieconsent',
    actor: 'cookieconsent3',
    consentCookie: {
      name: 'cc_cookie',
      choice: (v) => ((json(v) as { categories: string[] }).categories.includes('ads') ? 'accept' : 'reject'),
    },
    storedBy: 'vanilla-cookieconsent',
    // No category has autoClear: nothing is deleted.
    removesOnWithdrawal: [],
    facts: [
      // The violation: gtag.js pasted outside the library.
      ...gtag(['load'], 'G100'),
      // `_ga`, set before the refusal, is never removed.
      { at: ['reject'], raises: [{ id: 'tracking-after-refusal:google-analytics', phase: 'after-reject' }] },
      // expiresAfterDays defaults to 182: within 13 months.
      { at: ['accept', 'reject'], cookie: { name: 'cc_cookie', domain: 'www.o2toit.com', days: 182 } },
      // The data-category="ads" script tags, turned on after an accept only.
      ...metaPixel(['accept']),
    ],
  },
  {
    pkg: 'cookieconsent',
    page: 'osano-cookieconsent.html',
    // autoconsent has no rule named for Osano's library; its "Complianz optin" rule targets the same
    // markup (Complianz ships a fork of it: .cc-type-opt-in, aria-describedby="cookieconsent:desc").
    platform: 'Complianz optin',
    actor: 'Complianz optin',
    consentCookie: {
      name: 'cookieconsent_status',
      choice: (v) => (v === 'allow' ? 'accept' : v === 'deny' ? 'reject' : undefined),
    },
    storedBy: 'Osano cookieconsent',
    // The library deletes only its own cookie (revokeChoice), then writes the refusal.
    removesOnWithdrawal: [],
    facts: [
      // The violation: the pixel's <img> tag, no script and no cookie.
      {
        at: ['load'],
        request: 'https://www.facebook.com/tr?id=1234&ev=PageView',
        raises: ['tracker-before-consent:meta-pixel'],
      },
      { at: ['accept', 'reject'], cookie: { name: 'cookieconsent_status', domain: 'www.o2toit.com', days: 365 } },
      // Loaded by onStatusChange / onInitialise when hasConsented().
      ...gtag(['accept'], 'G100'),
    ],
  },
];

/**
 * The findings of a revisit after `action`: those of the choice, and, after a refusal, the reload
 * plays every load-time tracker request again (the violations sit outside the library), now after
 * the refusal: tracking after the refusal, for each vendor contacted before consent.
 */
export function revisitFindings(cmp: RealCmp, action: Action): ExpectedFinding[] {
  const base = expectedFindings(cmp, action);
  if (action !== 'reject') return base;
  const again = loadTimeTrackers(cmp).map((vendor) => `tracking-after-refusal:${vendor}`);
  const extra = [...new Set(again)]
    .filter((id) => !base.some((f) => f.id === id))
    .map((id): ExpectedFinding => ({
      id,
      rule: 'tracking-after-refusal',
      subject: id.split(':')[1]!,
      phase: 'after-reject',
    }));
  return [...base, ...extra].sort((a, b) => a.id.localeCompare(b.id));
}

/** The vendors of the load-time tracker requests: the violations sit outside the library, so each reload plays them again. */
const loadTimeTrackers = (cmp: RealCmp): string[] =>
  factsOf(cmp, 'none')
    .filter(({ fact }) => fact.request)
    .flatMap(({ fact }) => fact.raises ?? [])
    .flatMap((r) => (typeof r === 'string' && r.startsWith('tracker-before-consent:') ? [r.split(':')[1]!] : []));

/**
 * The findings of the withdrawal journey (accept, withdraw through the footer control, reload, second
 * page): those of the accept, and tracking after the withdrawal for each vendor the reload contacts
 * again (the load-time violations) and each vendor whose cookie, set while consent stood, the library
 * does not delete.
 */
export function withdrawalFindings(cmp: RealCmp): ExpectedFinding[] {
  const base = expectedFindings(cmp, 'accept');
  const kept = factsOf(cmp, 'accept')
    .flatMap(({ fact }) => (fact.cookie ? [fact.cookie.name] : []))
    .filter((name) => !cmp.removesOnWithdrawal.includes(name))
    .flatMap((name) => (VENDOR_OF_COOKIE[name] ? [VENDOR_OF_COOKIE[name]] : []));
  const extra = [...new Set([...loadTimeTrackers(cmp), ...kept])].map((vendor): ExpectedFinding => ({
    id: `tracking-after-withdrawal:${vendor}`,
    rule: 'tracking-after-withdrawal',
    subject: vendor,
    phase: 'after-withdrawal',
  }));
  return [...base, ...extra].sort((a, b) => a.id.localeCompare(b.id));
}
