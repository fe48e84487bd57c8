import { describe, expect, it } from 'vitest';
import { defaultCookiePath, parseCookieString, splitSetCookieHeaders } from '../../lib/collectors/set-cookie';
import { redactCookieString } from '../../lib/collectors/redact';
import { headerCookieObservations } from '../../lib/collectors/normalize';

const NOW = Date.parse('2026-03-10T09:00:00Z');

describe('parseCookieString', () => {
  it('reads Max-Age relative to the moment it was seen, and it wins over Expires', () => {
    const r = parseCookieString(
      'a=1; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Max-Age=63072000; Domain=.o2toit.com',
      'www.o2toit.com',
      NOW,
    );
    expect(r.ok && r.cookie).toMatchObject({
      name: 'a',
      domain: 'o2toit.com',
      hostOnly: false,
      session: false,
      requestedExpiry: NOW + 63072000e3,
    });
  });

  it('reads Expires when there is no Max-Age', () => {
    const r = parseCookieString('a=1; expires=Wed, 01 Jan 2031 00:00:00 GMT', 'www.o2toit.com', NOW);
    expect(r.ok && r.cookie.requestedExpiry).toBe(Date.parse('2031-01-01T00:00:00Z'));
  });

  it('treats a cookie without expiry as a host-only session cookie', () => {
    const r = parseCookieString('PHPSESSID=abc; Path=/; Secure; HttpOnly; SameSite=Lax', 'www.o2toit.com', NOW);
    expect(r.ok && r.cookie).toMatchObject({
      session: true,
      hostOnly: true,
      domain: 'www.o2toit.com',
      secure: true,
      httpOnly: true,
      sameSite: 'lax',
    });
    expect(r.ok && 'requestedExpiry' in r.cookie).toBe(false);
  });

  it('marks Max-Age=0 and past Expires as deletions', () => {
    expect(parseCookieString('a=; Max-Age=0', 'h', NOW)).toMatchObject({ ok: true, cookie: { deletes: true } });
    expect(parseCookieString('a=; expires=Thu, 01 Jan 1970 00:00:00 GMT', 'h', NOW)).toMatchObject({
      ok: true,
      cookie: { deletes: true },
    });
  });

  it('ignores broken attributes like a browser, and rejects a string with no name clearly', () => {
    const r = parseCookieString(
      'a=1; Max-Age=abc; Expires=not a date; Domain=; Path=relative',
      'www.o2toit.com',
      NOW,
      '/shop',
    );
    expect(r).toMatchObject({ ok: true, cookie: { session: true, domain: 'www.o2toit.com', path: '/shop' } });
    expect(parseCookieString('novalue', 'h', NOW)).toMatchObject({
      ok: false,
      error: 'cookie string has no name=value pair',
    });
    expect(parseCookieString('', 'h', NOW).ok).toBe(false);
  });

  it('never keeps the value, only its length', () => {
    const r = parseCookieString('id=secret-identifier; Max-Age=10', 'h', NOW);
    expect(JSON.stringify(r)).not.toContain('secret-identifier');
    expect(r.ok && r.cookie.valueLength).toBe(17);
  });
});

describe('Set-Cookie headers', () => {
  it('splits Firefox newline-joined values and Chrome separate entries', () => {
    expect(
      splitSetCookieHeaders([
        { name: 'Set-Cookie', value: 'a=1\nb=2' },
        { name: 'set-cookie', value: 'c=3' },
        { name: 'Content-Type', value: 'text/html' },
      ]),
    ).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it('turns a response into cookie observations, keeps going past a broken header, and reports it', () => {
    const result = headerCookieObservations(
      {
        requestId: '1',
        url: 'https://www.o2toit.com/shop/cart',
        method: 'GET',
        type: 'main_frame',
        tabId: 3,
        frameId: 0,
        timeStamp: NOW,
        responseHeaders: [{ name: 'set-cookie', value: 'garbage\nok=v; Max-Age=60' }],
      },
      'o2toit.com',
    );
    expect(result.observations).toHaveLength(1);
    expect(result.observations[0]).toMatchObject({
      name: 'ok',
      path: '/shop',
      via: 'set-cookie-header',
      raw: 'ok=<redacted:1>; Max-Age=60',
      requestedExpiry: NOW + 60_000,
    });
    expect(result.errors).toEqual([
      'Set-Cookie from https://www.o2toit.com/shop/cart: cookie string has no name=value pair: <redacted:7>',
    ]);
  });

  it('computes the RFC 6265 default path', () => {
    expect(defaultCookiePath('https://h/a/b/c')).toBe('/a/b');
    expect(defaultCookiePath('https://h/a')).toBe('/');
    expect(defaultCookiePath('not a url')).toBe('/');
  });

  it('redacts values but keeps attributes', () => {
    expect(redactCookieString('_ga=GA1.1.123; max-age=63072000; domain=.o2toit.com')).toBe(
      '_ga=<redacted:9>; max-age=63072000; domain=.o2toit.com',
    );
  });
});
