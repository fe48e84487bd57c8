/**
 * The decision each consent library's own cookie records, read by lib/consent/cmp-hints.json. The
 * values are those the real libraries wrote in the real-cmps e2e (tests/fixtures/sites/www.o2toit.com/
 * real-cmps/, Cookie headers the fixture server received), or built the way the library's code builds
 * them (Klaro: encodeURIComponent(JSON.stringify(consents)); vanilla-cookieconsent:
 * encodeURIComponent(JSON.stringify({ categories, ... })); Osano: the status word).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CMP_HINTS, decisionFromConsentCookie, platformOfRule } from '../../lib/consent/cmp-hints';

const decisionOf = (name: string, value: string) => {
  const found = decisionFromConsentCookie(name, value);
  return found && { platform: found.platform.id, decision: found.decision };
};

/** Klaro's cookie value for these service consents, as its saveConsents writes it. */
const klaro = (consents: Record<string, boolean>) => encodeURIComponent(JSON.stringify(consents));

/** vanilla-cookieconsent v3's cc_cookie, in the shape its saveCookiePreferences writes (fields in its order). */
const ccCookie = (categories: string[]) =>
  encodeURIComponent(
    JSON.stringify({
      categories,
      revision: 0,
      data: null,
      consentTimestamp: '2026-12-01T22:37:42.349Z',
      consentId: 'c3805888-1999-441a-ba2b-1602ec5e9fcf',
      services: { necessary: [], ads: [] },
      languageCode: 'fr',
      lastConsentTimestamp: '2026-12-01T22:37:42.349Z',
      expirationTime: 1811889462350,
    }),
  );

describe('consent libraries’ own cookies (cmp-hints.json)', () => {
  it('Klaro: every service true is an accept, every one false a refusal, a mix a custom choice', () => {
    // As the real Klaro 0.7.22 wrote them on real-cmps/klaro.html.
    expect(decisionOf('klaro', '%7B%22google-analytics%22%3Atrue%7D')).toEqual({
      platform: 'klaro',
      decision: 'accept',
    });
    expect(decisionOf('klaro', '%7B%22google-analytics%22%3Afalse%7D')).toEqual({
      platform: 'klaro',
      decision: 'reject',
    });
    expect(decisionOf('klaro', klaro({ 'google-analytics': true, matomo: true }))?.decision).toBe('accept');
    expect(decisionOf('klaro', klaro({ 'google-analytics': false, matomo: false }))?.decision).toBe('reject');
    expect(decisionOf('klaro', klaro({ 'google-analytics': true, matomo: false }))?.decision).toBe('custom');
    // A required service stays true after "Je refuse": not a full refusal.
    expect(decisionOf('klaro', klaro({ 'klaro-required': true, 'google-analytics': false }))?.decision).toBe('custom');
    expect(decisionOf('klaro', 'garbage')).toBeUndefined();
  });

  it('vanilla-cookieconsent v3: only "necessary" is a refusal, an optional category accepted is an accept', () => {
    // As the real vanilla-cookieconsent 3.1.0 wrote them on real-cmps/vanilla-cookieconsent.html.
    expect(decisionOf('cc_cookie', ccCookie(['necessary']))).toEqual({
      platform: 'vanilla-cookieconsent',
      decision: 'reject',
    });
    expect(decisionOf('cc_cookie', ccCookie(['necessary', 'ads']))).toEqual({
      platform: 'vanilla-cookieconsent',
      decision: 'accept',
    });
    expect(decisionOf('cc_cookie', ccCookie(['necessary', 'analytics', 'ads']))?.decision).toBe('accept');
    expect(decisionOf('cc_cookie', ccCookie([]))?.decision).toBe('reject');
    // The same JSON read raw (a site that stores it unencoded, as useLocalStorage does).
    expect(decisionOf('cc_cookie', decodeURIComponent(ccCookie(['necessary'])))?.decision).toBe('reject');
    expect(decisionOf('cc_cookie', '{"level":["necessary"]}')).toBeUndefined();
  });

  it('Osano cookieconsent: allow and dismiss (hasConsented) are an accept, deny a refusal', () => {
    expect(decisionOf('cookieconsent_status', 'allow')).toEqual({
      platform: 'osano-cookieconsent',
      decision: 'accept',
    });
    expect(decisionOf('cookieconsent_status', 'deny')).toEqual({ platform: 'osano-cookieconsent', decision: 'reject' });
    expect(decisionOf('cookieconsent_status', 'dismiss')?.decision).toBe('accept');
    expect(decisionOf('cookieconsent_status', 'allowed')).toBeUndefined();
    expect(decisionOf('cookieconsent_status', '')).toBeUndefined();
  });

  it('tarteaucitron: the load-time "wait" records no decision', () => {
    expect(decisionOf('tarteaucitron', '!gtag=wait')).toBeUndefined();
    expect(decisionOf('tarteaucitron', '!gtag=false')?.decision).toBe('reject');
  });

  it('names the platforms of autoconsent’s rules for them', () => {
    expect(platformOfRule('Klaro')?.id).toBe('klaro');
    expect(platformOfRule('cookieconsent3')?.id).toBe('vanilla-cookieconsent');
    // Complianz ships a fork of Osano's markup with its own cookies: its rule is not Osano.
    expect(platformOfRule('Complianz optin')).toBeUndefined();
    // Sourcepoint's notice is found in its own frame by autoconsent's coded rule, under this name.
    const rule = readFileSync('node_modules/@duckduckgo/autoconsent/lib/cmps/sourcepoint-frame.ts', 'utf8');
    expect(rule).toContain("name = 'Sourcepoint-frame'");
    expect(platformOfRule('Sourcepoint-frame')?.id).toBe('sourcepoint');
  });

  it('keeps one platform per cookie name', () => {
    const names = CMP_HINTS.flatMap((h) => h.cookies.map((c) => c.name));
    expect(names.length).toBe(new Set(names).size);
  });
});
