/**
 * Property-based tests (fast-check) of the parsers and the engine over random inputs: no exception,
 * deterministic output, dates always representable, identifiers never left in a URL, and consent
 * phases that follow the order of events.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Ajv from 'ajv';
import reportSchema from '../../lib/schema/audit-report.schema.json';
import { parseCookieDate } from '../../lib/collectors/cookie-date';
import { requestObservation } from '../../lib/collectors/normalize';
import { parseCookieString } from '../../lib/collectors/set-cookie';
import { IDENTIFIER_PARAMS, identifierDigests, redactUrl } from '../../lib/identifiers';
import type { ConsentPhase, Observation } from '../../lib/observations';
import { buildReport } from '../../lib/report/build-report';
import { isoTime, MAX_TIME, MIN_TIME } from '../../lib/time';
import { reportInput, T0 } from './report-input';

const RUNS = { numRuns: 300 };
const NOW = Date.parse('2026-12-01T12:00:00Z');

/** Cookie-ish strings: a pair, then attributes drawn from the ones browsers read, with odd values. */
const attributeValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.date({ noInvalidDate: true }).map((d) => `${d.toUTCString()}x`),
  fc.constantFrom('', '+1', '-0', '1e3', 'example.org', '.o2toit.com', '/p', 'Lax', 'x'.repeat(1100)),
);
const attribute = fc
  .tuple(
    fc.constantFrom('Expires', 'Max-Age', 'Domain', 'Path', 'Secure', 'HttpOnly', 'SameSite', 'Partitioned', 'x'),
    attributeValue,
  )
  .map(([k, v]) => `${k}=${v}`);
const cookieString = fc
  .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 60 }), fc.array(attribute, { maxLength: 6 }))
  .map(([n, v, attrs]) => [`${n}=${v}`, ...attrs].join('; '));

describe('Set-Cookie and cookie-date parsers', () => {
  it('never throw, are deterministic, and give representable expiries', () => {
    fc.assert(
      fc.property(
        fc.oneof(cookieString, fc.string({ maxLength: 200 })),
        fc.constantFrom('chromium', 'firefox'),
        (raw, flavor) => {
          const a = parseCookieString(raw, 'www.o2toit.com', NOW, '/', flavor);
          const b = parseCookieString(raw, 'www.o2toit.com', NOW, '/', flavor);
          expect(a).toEqual(b);
          if (a.ok && a.cookie.requestedExpiry !== undefined) {
            expect(Number.isFinite(a.cookie.requestedExpiry)).toBe(true);
            expect(a.cookie.requestedExpiry).toBeGreaterThanOrEqual(MIN_TIME);
            expect(a.cookie.requestedExpiry).toBeLessThanOrEqual(MAX_TIME);
            expect(() => isoTime(a.cookie.requestedExpiry!)).not.toThrow();
            expect(a.cookie.session).toBe(false);
          }
        },
      ),
      RUNS,
    );
  });

  it('the cookie-date parser never throws and reads every well-formed date exactly', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const t = parseCookieDate(text);
        expect(t === undefined || (Number.isFinite(t) && t >= MIN_TIME && t <= MAX_TIME)).toBe(true);
      }),
      RUNS,
    );
    const validDate = fc.date({
      min: new Date('1601-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(validDate, fc.constantFrom('chromium', 'firefox'), (d, flavor) => {
        const whole = Math.floor(d.getTime() / 1000) * 1000;
        expect(parseCookieDate(new Date(whole).toUTCString(), flavor)).toBe(whole);
        // Junk tokens around the date change nothing.
        expect(parseCookieDate(`${new Date(whole).toUTCString()}x; junk`, flavor)).toBe(whole);
      }),
      RUNS,
    );
  });
});

describe('URL redaction', () => {
  // Values from an alphabet no host or other parameter here uses, so "not in the output" is exact.
  const secret = fc.stringMatching(/^[QXZ][QXZ0-9]{6,18}[0-9]$/);
  const name = fc.constantFrom(...IDENTIFIER_PARAMS);
  const other = fc.tuple(fc.constantFrom('v', 'tid', 'page', 'q'), fc.stringMatching(/^[a-m0-9]{0,8}$/));

  it('never throws, is idempotent, and leaves no identifier value in the URL', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.tuple(name, secret), other), { maxLength: 8 }),
        fc.boolean(),
        (params, inFragment) => {
          const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
          const url = `https://h.test/p${inFragment ? '#' : '?'}${query}`;
          const once = redactUrl(url);
          expect(redactUrl(once)).toBe(once);
          for (const [k, v] of params) {
            if (IDENTIFIER_PARAMS.has(k)) expect(once).not.toContain(v);
            else expect(once).toContain(`${k}=${v}`);
          }
        },
      ),
      RUNS,
    );
  });

  it('redacts any parameter carrying a recorded cookie value, whatever its name', () => {
    fc.assert(
      fc.property(secret, fc.stringMatching(/^[a-m]{1,8}$/), (value, param) => {
        const known = new Set(identifierDigests(`GA1.1.${value}`));
        expect(redactUrl(`https://h.test/c?${param}=${value}`, known)).not.toContain(value);
      }),
      RUNS,
    );
  });
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => void redactUrl(s)),
      RUNS,
    );
  });
});

const validate = new Ajv({ allErrors: true, strict: false }).compile(reportSchema);

/** One random observation of any kind, without seq (given by position). */
const time = fc.oneof(fc.integer({ min: T0, max: T0 + 600_000 }), fc.constant(T0 + 1e15));
const expiry = fc.option(
  fc.oneof(fc.integer({ min: T0 - 1e10, max: T0 + 1e11 }), fc.constantFrom(MAX_TIME, MIN_TIME, 8.64e15)),
  { nil: undefined },
);
const request = fc
  .tuple(
    time,
    fc.constantFrom(
      'https://www.o2toit.com/',
      'https://www.googletagmanager.com/gtag/js?id=G-1',
      'https://region1.google-analytics.com/g/collect?v=2&gcs=G111&cid=1.2',
      'https://www.google.com/recaptcha/api.js',
      'https://connect.facebook.net/en_US/fbevents.js',
      'https://unknown.example/x?gclid=abc',
    ),
    fc.constantFrom('main_frame', 'script', 'ping', 'image', 'xmlhttprequest'),
  )
  .map(
    ([t, url, type]) =>
      requestObservation(
        { requestId: 'r', url, method: 'GET', type, tabId: 1, frameId: 0, timeStamp: t },
        'o2toit.com',
      ) as Omit<Observation, 'seq'>,
  );
const common = (t: number) => ({
  time: t,
  tabId: 1,
  frameId: 0,
  url: 'https://www.o2toit.com/',
  topSite: 'o2toit.com',
});
const cookie = fc
  .tuple(
    time,
    fc.constantFrom('_ga', '_fbp', 'o2_pref', 'PHPSESSID', 'tarteaucitron', 'zz'),
    fc.constantFrom('o2toit.com', 'www.o2toit.com', 'example.org'),
    fc.constantFrom('set-cookie-header', 'document.cookie', 'cookies-api'),
    fc.constantFrom('set', 'removed'),
    expiry,
    expiry,
    fc.boolean(),
    fc.boolean(),
  )
  .map(([t, name, domain, via, action, requested, effective, snapshot, refused]) => ({
    ...common(t),
    kind: 'cookie' as const,
    source:
      via === 'cookies-api'
        ? ('cookies-api' as const)
        : via === 'set-cookie-header'
          ? ('webRequest' as const)
          : ('page-hook' as const),
    name,
    domain,
    path: '/',
    via,
    action,
    session: requested === undefined && effective === undefined,
    ...(requested !== undefined && via !== 'cookies-api' ? { requestedExpiry: requested } : {}),
    ...(effective !== undefined && via === 'cookies-api' ? { effectiveExpiry: effective } : {}),
    ...(snapshot && via === 'cookies-api' ? { snapshot: true } : {}),
    ...(refused ? { refused: 'random' } : {}),
  }));
const storage = fc
  .tuple(time, fc.constantFrom('_fbq_id', '_hjSessionUser_1', 'ui'), fc.constantFrom('set', 'remove', 'snapshot'))
  .map(([t, key, action]) => ({
    ...common(t),
    kind: 'storage' as const,
    source: 'page-hook' as const,
    area: 'localStorage' as const,
    action,
    key,
    origin: 'https://www.o2toit.com',
  }));
const consent = fc
  .tuple(
    time,
    fc.constantFrom('decision', 'decision-stored', 'user-gesture', 'banner-shown', 'action-result'),
    fc.constantFrom('accept', 'reject', 'custom', undefined),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([t, event, decision, trusted, needsGesture]) => ({
    ...common(t),
    kind: 'consent' as const,
    source: trusted ? ('extension' as const) : ('page-hook' as const),
    event,
    ...(decision ? { decision } : {}),
    how: 'random',
    trusted,
    ...(needsGesture ? { needsGesture } : {}),
    ...(event === 'action-result' ? { result: needsGesture } : {}),
  }));
const observations = fc
  .array(fc.oneof(request, cookie, storage, consent), { maxLength: 40 })
  .map((list) => list.map((o, i) => ({ ...o, seq: i + 1 }) as Observation));

function report(list: readonly Observation[]) {
  return buildReport(reportInput(list, { endedAt: T0 + 700_000, now: T0 + 700_000 }));
}

describe('the engine over random observations', () => {
  it('always builds a valid report, with no part failing, and the same one twice', () => {
    fc.assert(
      fc.property(observations, (list) => {
        const a = report(list);
        expect(a.errors).toEqual([]);
        expect(validate(a), JSON.stringify(validate.errors)).toBe(true);
        expect(JSON.stringify(report(list))).toBe(JSON.stringify(a));
        // The input order of records does not change the report.
        expect(JSON.stringify(report([...list].reverse()))).toBe(JSON.stringify(a));
      }),
      { numRuns: 150 },
    );
  });

  it('phases follow the order of events: each is the phase of the last trusted decision before it', () => {
    const PHASE = { accept: 'after-accept', reject: 'after-reject', custom: 'after-custom' } as const;
    const trustedOnly = observations.map((list) =>
      list.filter((o) => o.kind !== 'consent' || (o.event === 'decision' && o.trusted && o.decision)),
    );
    fc.assert(
      fc.property(trustedOnly, (list) => {
        const r = report(list);
        const decisions = list.filter((o) => o.kind === 'consent').sort((a, b) => a.time - b.time || a.seq - b.seq);
        const all = [
          ...r.observations.cookies,
          ...r.observations.requests,
          ...r.observations.storage,
          ...r.observations.consent,
        ];
        for (const o of all) {
          const last = decisions.filter((d) => d.time < o.time || (d.time === o.time && d.seq <= o.seq)).at(-1);
          const expected: ConsentPhase =
            last && last.kind === 'consent' && last.decision ? PHASE[last.decision] : 'before-consent';
          expect(o.phase, `seq ${o.seq}`).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });
});
