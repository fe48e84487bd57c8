import { describe, expect, it } from 'vitest';
import {
  consentCookieObservation,
  gestureObservation,
  pageConsentObservation,
} from '../../lib/collectors/consent-events';
import { sanitizePageEvent } from '../../lib/collectors/page-event';
import { decisionFromConsentCookie } from '../../lib/consent/cmp-hints';
import { consentModeOf, decodeGcs } from '../../lib/consent/consent-mode';
import { decodeTcString } from '../../lib/consent/tcf';
import { assignPhases } from '../../lib/engine/phases';
import type { ConsentObservation, Observation } from '../../lib/observations';

const ctx = { time: 1000, tabId: 1, frameId: 0, topSite: 'o2toit.com' };

describe('consent signals', () => {
  it('decodes Google Consent Mode gcs and keeps gcd raw', () => {
    expect(decodeGcs('G111')).toEqual({ adStorage: 'granted', analyticsStorage: 'granted' });
    expect(decodeGcs('G10-')).toEqual({ adStorage: 'denied', analyticsStorage: 'unset' });
    expect(decodeGcs('garbage')).toBeUndefined();
    expect(consentModeOf('https://region1.google-analytics.com/g/collect?v=2&gcs=G101&gcd=13r3')).toEqual({
      gcs: 'G101',
      adStorage: 'denied',
      analyticsStorage: 'granted',
      gcd: '13r3',
    });
    expect(consentModeOf('https://www.o2toit.com/')).toBeUndefined();
  });

  it('reads the decision a platform cookie records', () => {
    expect(decisionFromConsentCookie('tarteaucitron', '!gtag=true!facebookpixel=true')).toMatchObject({
      decision: 'accept',
      platform: { id: 'tarteaucitron' },
    });
    expect(decisionFromConsentCookie('tarteaucitron', '!gtag=false!facebookpixel=false')).toMatchObject({
      decision: 'reject',
    });
    expect(decisionFromConsentCookie('tarteaucitron', '!gtag=true!facebookpixel=false')).toMatchObject({
      decision: 'custom',
    });
    expect(decisionFromConsentCookie('axeptio_authorized_vendors', '%2C%2C')).toMatchObject({
      decision: 'reject',
      platform: { id: 'axeptio' },
    });
    expect(decisionFromConsentCookie('axeptio_authorized_vendors', '%2Cfacebook_pixel%2C')).toMatchObject({
      decision: 'accept',
    });
    expect(decisionFromConsentCookie('_ga', 'GA1.1.1')).toBeUndefined();
  });

  it("decodes real TC strings (the fixture CMP's) with the IAB library", () => {
    const all = decodeTcString('CQSU_AAQSU_AAEsABBFRABFgAP_AAAAAAAqIF5wAgAtgLzAAAAAA.IF5wAgAtgLzA.YAAAAAAAAAAA');
    expect(all).toMatchObject({ cmpId: 300, purposeConsents: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], vendorConsents: 2 });
    expect(decodeTcString('CQSU_AAQSU_AAEsABBFRABFgAAAAAAAAAAqIAAAAAAAA.IF5wAgAtgLzA.YAAAAAAAAAAA')).toMatchObject({
      purposeConsents: [],
      vendorConsents: 0,
    });
  });

  it('rejects invalid TC strings without throwing', () => {
    expect(decodeTcString('not a tc string')).toBeUndefined();
    expect(decodeTcString('')).toBeUndefined();
  });

  it('marks page-reported consent as untrusted and a real click on a known control as trusted', () => {
    expect(consentCookieObservation('tarteaucitron', '!gtag=true', 'https://www.o2toit.com/', ctx)).toMatchObject({
      event: 'decision-stored',
      decision: 'accept',
      trusted: false,
      needsGesture: true,
    });
    expect(
      pageConsentObservation({ type: 'tcf', eventStatus: 'useractioncomplete', time: 1, url: 'u' }, ctx),
    ).toMatchObject({ event: 'decision', trusted: false, needsGesture: true });
    expect(
      pageConsentObservation({ type: 'forged', detail: '{"type":"consent"}', time: 1, url: 'u' }, ctx),
    ).toMatchObject({ event: 'decision', trusted: false, source: 'page-hook' });
    expect(
      gestureObservation(
        {
          kind: 'gesture',
          time: 1,
          url: 'u',
          target: 'button#x',
          matched: { platform: 'Axeptio', decision: 'reject', selector: '#axeptio_btn_dismiss' },
        },
        ctx,
      ),
    ).toMatchObject({ event: 'decision', decision: 'reject', trusted: true });
    expect(gestureObservation({ kind: 'gesture', time: 1, url: 'u', target: 'a#home' }, ctx)).toMatchObject({
      event: 'user-gesture',
      trusted: true,
    });
  });

  it('turns unknown messages on the page channel into forgery evidence and validates known ones', () => {
    expect(sanitizePageEvent({ channel: 'x', type: 'consent', decision: 'accept' }, 5, 'https://p/')).toMatchObject({
      type: 'forged',
      time: 5,
      url: 'https://p/',
    });
    expect(sanitizePageEvent({ type: 'cookie-write', raw: 42 }, 5, 'u')).toBeUndefined();
    expect(
      sanitizePageEvent(
        { type: 'storage', area: 'localStorage', action: 'set', key: 'k', valueLength: 3, url: 'https://p/' },
        5,
        'u',
      ),
    ).toMatchObject({ type: 'storage', key: 'k', valueLength: 3 });
    expect(sanitizePageEvent({ type: 'storage', area: 'cookies', action: 'set', key: 'k' }, 5, 'u')).toBeUndefined();
    expect(sanitizePageEvent(null, 5, 'u')).toBeUndefined();
  });

  it("keeps the relay's time only when asked, and only within bounds; never the page's claim", () => {
    const event = (time: number) => ({
      type: 'storage',
      area: 'localStorage',
      action: 'set',
      key: 'k',
      time,
      url: 'https://p/',
    });
    expect(sanitizePageEvent(event(1), 100_000, 'u')!.time).toBe(100_000); // the relay ignores page claims
    expect(sanitizePageEvent(event(99_950), 100_000, 'u', true)!.time).toBe(99_950); // the relay's stamp, 50 ms earlier
    expect(sanitizePageEvent(event(100_500), 100_000, 'u', true)!.time).toBe(100_000); // from the future: ours
    expect(sanitizePageEvent(event(1), 100_000, 'u', true)!.time).toBe(100_000); // too old: ours
  });
});

let seq = 0;
const consent = (fields: Partial<ConsentObservation>): Observation =>
  ({
    kind: 'consent',
    seq: ++seq,
    time: seq * 1000,
    tabId: 1,
    frameId: 0,
    url: 'u',
    topSite: 's',
    source: 'extension',
    event: 'decision',
    trusted: true,
    how: 'test',
    ...fields,
  }) as Observation;
const req = (): Observation =>
  ({
    kind: 'request',
    seq: ++seq,
    time: seq * 1000,
    tabId: 1,
    frameId: 0,
    url: 'https://x/',
    topSite: 's',
    source: 'webRequest',
    requestId: '1',
    method: 'GET',
    type: 'script',
    host: 'x',
    site: 'x',
    thirdParty: true,
  }) as Observation;

describe('consent phases', () => {
  it('opens a phase on each established decision, and a change of mind opens another', () => {
    seq = 0;
    const r = assignPhases([req(), consent({ decision: 'accept' }), req(), consent({ decision: 'reject' }), req()]);
    expect(r.observations.map((o) => o.phase)).toEqual([
      'before-consent',
      'after-accept',
      'after-accept',
      'after-reject',
      'after-reject',
    ]);
    expect(r.decisions.map((d) => d.decision)).toEqual(['accept', 'reject']);
  });

  it('never lets an untrusted decision open a phase, and lists it', () => {
    seq = 0;
    const r = assignPhases([consent({ decision: 'accept', trusted: false, source: 'page-hook' }), req()]);
    expect(r.observations.map((o) => o.phase)).toEqual(['before-consent', 'before-consent']);
    expect(r.untrustedDecisions).toHaveLength(1);
  });

  it('accepts a page-reported decision only shortly after a real gesture', () => {
    seq = 0;
    const gesture = consent({ event: 'user-gesture', control: 'accept', how: 'a real click' });
    const late = consent({
      event: 'decision-stored',
      decision: 'accept',
      trusted: false,
      needsGesture: true,
      time: 60_000,
    });
    expect(assignPhases([gesture, late, req()]).observations.at(-1)!.phase).toBe('before-consent');
    seq = 0;
    const g2 = consent({ event: 'user-gesture', control: 'accept', how: 'a real click' });
    const soon = consent({ event: 'decision-stored', decision: 'accept', trusted: false, needsGesture: true });
    const r = assignPhases([g2, soon, req()]);
    expect(r.observations.at(-1)!.phase).toBe('after-accept');
    expect(r.decisions[0]!.establishedBy).toMatch(/corroborated by a real click/);
  });

  it('undoes the phase of an automated action that failed', () => {
    seq = 0;
    const r = assignPhases([
      consent({ decision: 'reject' }),
      consent({ event: 'action-result', decision: 'reject', result: false }),
      req(),
    ]);
    expect(r.observations.at(-1)!.phase).toBe('before-consent');
    expect(r.decisions).toEqual([]);
  });
});
