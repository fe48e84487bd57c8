import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import reportSchema from '../../lib/schema/audit-report.schema.json';
import { classifications } from '../../lib/engine/analyze';
import type { Observation } from '../../lib/observations';
import { buildReport } from '../../lib/report/build-report';
import { mergeScenarios } from '../../lib/report/merge-scenarios';
import {
  cleanTargets,
  judgeStartState,
  shouldClear,
  type StartCookieRecord,
  type StartSettings,
  type StartStateRecord,
} from '../../lib/start-state';
import { builtinClassifier, o2toitPolicy, reportInput, T0 } from './report-input';

const SITE = 'o2toit.com';
const classify = classifications(o2toitPolicy, builtinClassifier);
const SETTINGS: StartSettings = {
  thirdPartyCookies: { state: 'allowed', how: 'privacy.websites.thirdPartyCookiesAllowed true' },
  otherExtensions: { state: [], how: 'management.getAll(), enabled extensions' },
  privateWindow: false,
};
const cookie = (name: string, domain: string, extra: Partial<StartCookieRecord> = {}): StartCookieRecord => ({
  name,
  domain,
  path: '/',
  session: false,
  ...extra,
});
const record = (cookies: StartCookieRecord[], settings: Partial<StartSettings> = {}): StartStateRecord => ({
  readAt: T0 + 5,
  cookies,
  storage: [],
  settings: { ...SETTINGS, ...settings },
});
const base = { time: T0, tabId: 1, frameId: 0, topSite: SITE } as const;
const cookieSet = (name: string, domain: string, time: number, seq: number): Observation => ({
  ...base,
  seq,
  time,
  kind: 'cookie',
  action: 'set',
  name,
  domain,
  path: '/',
  via: 'set-cookie-header',
  session: false,
  url: `https://${domain}/`,
  source: 'webRequest',
});
const judge = (r: StartStateRecord, observations: Observation[] = []) =>
  judgeStartState(r, { site: SITE, observations, classify });

/** Vectors: what the browser held at the start → clean or not, and what the report names. */
const VECTORS: Array<{
  name: string;
  record: StartStateRecord;
  observations?: Observation[];
  clean: boolean;
  consent?: Array<{ name: string; platform: string }>;
  reason?: RegExp;
  warning?: RegExp;
}> = [
  { name: 'an empty cookie store and no storage', record: record([]), clean: true },
  {
    name: "a known platform's consent cookie of an earlier visit",
    record: record([cookie('cc_cookie', 'www.o2toit.com')]),
    clean: false,
    consent: [{ name: 'cc_cookie', platform: 'CookieConsent (vanilla-cookieconsent)' }],
    reason:
      /^a consent cookie \(cc_cookie, CookieConsent \(vanilla-cookieconsent\)\) was already present: the banner may not show and the decision of an earlier visit applies$/,
  },
  {
    name: 'a TCF string set on a third-party host is a consent cookie too',
    record: record([cookie('euconsent-v2', 'cmp.example.net')]),
    clean: false,
    consent: [{ name: 'euconsent-v2', platform: 'IAB Europe Transparency & Consent Framework strings' }],
  },
  {
    name: 'a tracker cookie of the site',
    record: record([cookie('_ga', 'o2toit.com')]),
    clean: false,
    reason: /^1 cookie\(s\) of o2toit.com were already present \(_ga\)/,
  },
  {
    name: "a third party's cookie in the site's partition (Firefox TCP, CHIPS)",
    record: record([cookie('_GRECAPTCHA', 'www.google.com', { partitionSite: SITE })]),
    clean: false,
    reason: /_GRECAPTCHA/,
  },
  {
    name: 'an unpartitioned third-party cookie is no dirt of the site, but is named',
    record: record([cookie('NID', 'google.com')]),
    clean: true,
    warning: /1 third-party cookie\(s\) of hosts this site loads were already present \(NID@google.com\)/,
  },
  {
    name: 'a cookie this audit saw being set before the store was read is its own',
    record: record([cookie('PHPSESSID', 'www.o2toit.com')]),
    observations: [cookieSet('PHPSESSID', 'www.o2toit.com', T0 + 1, 1)],
    clean: true,
  },
  {
    name: 'a cookie set after the store was read does not hide one read before',
    record: record([cookie('o2_pref', 'www.o2toit.com')]),
    observations: [cookieSet('o2_pref', 'www.o2toit.com', T0 + 50, 1)],
    clean: false,
  },
  {
    name: 'a storage key present before any page script ran',
    record: {
      ...record([]),
      storage: [{ area: 'localStorage', origin: 'https://www.o2toit.com', key: '_hjSessionUser_1' }],
    },
    clean: false,
    reason: /^1 web storage key\(s\) of o2toit.com were already present \(_hjSessionUser_1\)$/,
  },
  {
    name: 'a consent choice kept in localStorage (cookie.useLocalStorage)',
    record: { ...record([]), storage: [{ area: 'localStorage', origin: 'https://www.o2toit.com', key: 'cc_cookie' }] },
    clean: false,
    consent: [{ name: 'cc_cookie', platform: 'CookieConsent (vanilla-cookieconsent)' }],
    reason: /^a consent record \(cc_cookie/,
  },
  {
    name: 'third-party cookies blocked: clean, with a warning',
    record: record([], { thirdPartyCookies: { state: 'blocked', how: 'x' } }),
    clean: true,
    warning: /third-party cookies are blocked/,
  },
  {
    name: 'other extensions enabled: clean, with a warning naming them',
    record: record([], { otherExtensions: { state: ['uBlock Origin'], how: 'x' } }),
    clean: true,
    warning: /other extensions are enabled \(uBlock Origin\)/,
  },
];

describe('judgeStartState', () => {
  for (const v of VECTORS)
    it(v.name, () => {
      const state = judge(v.record, v.observations);
      expect(state.clean).toBe(v.clean);
      expect(state.reasons.length === 0).toBe(v.clean);
      expect(state.consentCookies.map(({ name, platform }) => ({ name, platform }))).toEqual(v.consent ?? []);
      if (v.reason) expect(state.reasons.join('\n')).toMatch(v.reason);
      if (v.warning) {
        expect(state.warnings.join('\n')).toMatch(v.warning);
        expect(state.reasons.join('\n')).not.toMatch(v.warning);
      }
      // Every reason is a warning; cookie values are never in a record, so never in a state.
      for (const r of state.reasons) expect(state.warnings).toContain(r);
    });

  it('lists what it found with its classification, never a value', () => {
    const state = judge(record([cookie('_ga', 'o2toit.com'), cookie('cc_cookie', 'www.o2toit.com')]));
    expect(state.found).toEqual([
      expect.objectContaining({ name: '_ga', store: 'cookie', ofSite: true, category: 'audience-measurement' }),
      expect.objectContaining({ name: 'cc_cookie', ofSite: true, category: 'consent-management', consent: true }),
    ]);
    for (const item of state.found)
      expect(
        Object.keys(item).every((k) =>
          ['name', 'domain', 'store', 'ofSite', 'category', 'vendor', 'consent'].includes(k),
        ),
      ).toBe(true);
  });
});

describe('what a clean start clears', () => {
  const observations: Observation[] = [
    {
      ...base,
      seq: 1,
      kind: 'request',
      requestId: '1',
      method: 'GET',
      type: 'script',
      host: 'www.googletagmanager.com',
      site: 'googletagmanager.com',
      thirdParty: true,
      url: 'https://www.googletagmanager.com/gtag/js',
      source: 'webRequest',
    },
    {
      ...base,
      seq: 2,
      kind: 'request',
      requestId: '2',
      method: 'GET',
      type: 'main_frame',
      host: 'shop.o2toit.com',
      site: SITE,
      thirdParty: false,
      url: 'https://shop.o2toit.com/',
      source: 'webRequest',
    },
    cookieSet('NID', 'google.com', T0, 3),
  ];
  const targets = cleanTargets(SITE, observations);

  it("takes the site's hosts and the third parties of the last audit", () => {
    expect(targets).toEqual({
      site: SITE,
      siteHosts: ['o2toit.com', 'shop.o2toit.com', 'www.o2toit.com'],
      thirdPartyHosts: ['google.com', 'www.googletagmanager.com'],
    });
  });

  it.each([
    ['a cookie of a subdomain of the site', cookie('o2_pref', 'shop.o2toit.com'), true],
    ['a cookie of the registrable domain', cookie('_ga', 'o2toit.com'), true],
    ["a cookie in the site's partition", cookie('_GRECAPTCHA', 'www.google.com', { partitionSite: SITE }), true],
    ['a cookie a third-party host of the last audit receives', cookie('_gcl', 'googletagmanager.com'), true],
    ['a cookie of an unrelated site', cookie('sid', 'bank.example'), false],
    ['a cookie of a lookalike domain', cookie('x', 'evilo2toit.com'), false],
    [
      "a third party's cookie in another site's partition",
      cookie('y', 'tracker.example', { partitionSite: 'a.fr' }),
      false,
    ],
  ])('%s: %s', (_, c, expected) => {
    expect(shouldClear(c, targets)).toBe(expected);
  });
});

describe('the start state in the report', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(reportSchema);

  it('is judged into the scenario, warned about in the notes, valid against the schema, and kept by the merge', () => {
    const startState = record([cookie('cc_cookie', 'www.o2toit.com')], {
      cookieBanners: { state: 'unknown', how: 'not readable by extensions' },
    });
    const report = buildReport(reportInput([], { startState }));
    expect(validate(report), ajv.errorsText(validate.errors)).toBe(true);
    expect(report.scenarios[0]!.startState).toMatchObject({ clean: false, consentCookies: [{ name: 'cc_cookie' }] });
    expect(report.provenance.notes.join('\n')).toMatch(/The audit did not start clean: a consent cookie \(cc_cookie/);
    const clean = buildReport(reportInput([], { startState: record([]) }));
    expect(clean.provenance.notes.join('\n')).not.toMatch(/did not start clean/);
    const merged = mergeScenarios(
      [
        { scenario: 'accept', report, startedAt: T0, endedAt: T0 + 1 },
        { scenario: 'reject', report: clean, startedAt: T0, endedAt: T0 + 1 },
      ],
      { targetUrl: 'https://www.o2toit.com/', now: T0 + 2 },
    );
    expect(merged.scenarios.map((s) => s.startState?.clean)).toEqual([false, true]);
    expect(validate(merged), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('says when the storage reading never came', () => {
    const { storage: _, ...noStorage } = record([]);
    expect(judge(noStorage).errors).toEqual([
      'web storage at the start is unknown: the first page sent no reading before its scripts ran',
    ]);
    expect(judge(record([])).errors).toBeUndefined();
  });

  it('is absent when nothing was recorded at the start', () => {
    expect(buildReport(reportInput([])).scenarios[0]!.startState).toBeUndefined();
  });
});
