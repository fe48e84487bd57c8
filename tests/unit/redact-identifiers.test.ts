/**
 * Nothing leaks: identifiers in recorded URLs are redacted by default, in the report the popup shows
 * and every export is made from. Known identifier parameters by name, any parameter whose value is a
 * recorded cookie value (or its dot-separated tail, as GA's `cid` is of `_ga`), whatever the order
 * in which the request and the cookie were recorded. `identifiers: 'kept'` keeps them, and says so.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cookieApiObservation, requestObservation } from '../../lib/collectors/normalize';
import { redactedMark, redactUrl, identifierDigests } from '../../lib/collectors/redact';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { Observation } from '../../lib/observations';
import type { DeclaredPolicy } from '../../lib/policy/types';
import { buildReport } from '../../lib/report/build-report';

describe('redactUrl', () => {
  it('redacts known identifier parameters by name, keeping every other byte', () => {
    expect(redactUrl('https://x.test/p?v=2&cid=123.456&tid=G-1&gclid=abc')).toBe(
      `https://x.test/p?v=2&cid=${redactedMark('123.456')}&tid=G-1&gclid=${redactedMark('abc')}`,
    );
    expect(redactUrl('https://x.test/p?CID=1#x')).toBe(`https://x.test/p?CID=${redactedMark('1')}#x`);
    expect(redactUrl('https://x.test/p#client_id=42&state=s')).toBe(
      `https://x.test/p#client_id=${redactedMark('42')}&state=s`,
    );
    expect(redactUrl('https://x.test/p?q=shoes&page=2')).toBe('https://x.test/p?q=shoes&page=2');
  });

  it('redacts a parameter whose value is a recorded cookie value, or a dot tail of one', () => {
    const known = new Set(identifierDigests('GA1.1.1234567890.1767225600'));
    expect(redactUrl('https://x.test/c?x=1234567890.1767225600&y=1767225600&z=short', known)).toBe(
      `https://x.test/c?x=${redactedMark('1234567890.1767225600')}&y=${redactedMark('1767225600')}&z=short`,
    );
    // Percent-encoded values are compared decoded.
    expect(redactUrl('https://x.test/c?x=1234567890%2E1767225600', known)).toContain('[redacted:21:');
  });

  it('never takes a short or word-like value for a cookie value (a consent cookie "reject")', () => {
    const known = new Set([...identifierDigests('reject'), ...identifierDigests('accepted_all')]);
    const url = 'https://x.test/g/collect?en=cookie_choice&ep.choice=reject&c=accepted_all';
    expect(redactUrl(url, known)).toBe(url);
  });

  it('is idempotent and gives the same mark for the same value', () => {
    const once = redactUrl('https://x.test/?cid=1.2&uid=1.2');
    expect(redactUrl(once)).toBe(once);
    const [, a, b] = /cid=([^&]+)&uid=(.+)$/.exec(once)!;
    expect(a).toBe(b);
  });
});

const policy = JSON.parse(
  readFileSync(new URL('../../policies/o2toit.com.json', import.meta.url), 'utf8'),
) as DeclaredPolicy;
const T0 = Date.parse('2026-03-10T09:00:00.000Z');
const GA = 'GA1.1.918273645.1773133200';
const FBP = 'fb.1.1773133200000.5647382910';

function observations(): Observation[] {
  const req = (seq: number, url: string, type = 'script') =>
    ({
      ...requestObservation(
        { requestId: String(seq), url, method: 'GET', type, tabId: 1, frameId: 0, timeStamp: T0 + seq },
        'o2toit.com',
      ),
      seq,
    }) as Observation;
  const cookie = (seq: number, name: string, value: string) =>
    ({
      ...cookieApiObservation(
        {
          removed: false,
          cause: 'explicit',
          cookie: {
            name,
            value,
            domain: '.o2toit.com',
            path: '/',
            hostOnly: false,
            session: false,
            expirationDate: (T0 + 400 * 86_400_000) / 1000,
            secure: true,
            httpOnly: false,
          },
        },
        { time: T0 + seq, tabId: 1, topSite: 'o2toit.com' },
      )!,
      seq,
    }) as Observation;
  return [
    req(1, 'https://www.o2toit.com/?gclid=Cj0KCQ-click-id', 'main_frame'),
    // The hit is recorded before the cookie whose value it carries.
    req(2, `https://region1.google-analytics.com/g/collect?v=2&tid=G-FIXTURE1&gcs=G100&cid=${GA.slice(6)}`, 'ping'),
    req(3, `https://www.facebook.com/tr?id=1234&ev=PageView&custom=${encodeURIComponent(FBP)}`, 'image'),
    cookie(4, '_ga', GA),
    cookie(5, '_fbp', FBP),
  ];
}

function report(identifiers?: 'redacted' | 'kept') {
  return buildReport({
    observations: observations(),
    policy,
    policySha256: 'a'.repeat(64),
    knowledge: createClassifier(builtinKnowledge),
    knowledgeInfo: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
    tool: { name: 'Consent Auditor', version: '0.1.0' },
    browser: { name: 'Chromium', version: '156', userAgent: 'HeadlessChrome' },
    targetUrl: 'https://www.o2toit.com/?gclid=Cj0KCQ-click-id',
    site: 'o2toit.com',
    startedAt: T0,
    endedAt: T0 + 10_000,
    ...(identifiers ? { identifiers } : {}),
  });
}

describe('reports carry no identifier by default', () => {
  it('no raw identifier appears anywhere in the report JSON, and provenance says "redacted"', () => {
    const r = report();
    const json = JSON.stringify(r);
    for (const raw of [GA.slice(6), FBP, encodeURIComponent(FBP), 'Cj0KCQ-click-id', '918273645'])
      expect(json).not.toContain(raw);
    expect(json).not.toContain('valueDigests');
    expect(r.provenance.identifiers).toBe('redacted');
    const hit = r.observations.requests.find((o) => o.host === 'region1.google-analytics.com')!;
    expect(hit.url).toBe(
      `https://region1.google-analytics.com/g/collect?v=2&tid=G-FIXTURE1&gcs=G100&cid=${redactedMark(GA.slice(6))}`,
    );
    // Consent Mode is still read (it was decoded at the edge, from the parameters kept).
    expect(hit.consentMode?.gcs).toBe('G100');
    expect(r.scenarios[0]!.pages).toEqual([`https://www.o2toit.com/?gclid=${redactedMark('Cj0KCQ-click-id')}`]);
  });

  it('keeps them only when asked, and says so', () => {
    const r = report('kept');
    const json = JSON.stringify(r);
    expect(json).toContain(`cid=${GA.slice(6)}`);
    expect(json).toContain(encodeURIComponent(FBP));
    expect(json).not.toContain('valueDigests');
    expect(r.provenance.identifiers).toBe('kept');
  });
});
