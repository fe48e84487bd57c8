import { describe, expect, it } from 'vitest';
import { parseHostRules, resolveHost } from '../../scripts/browser/host-rules';

describe('host rules (Chromium --host-resolver-rules semantics)', () => {
  const rules = parseHostRules(
    'MAP www.o2toit.com:443 127.0.0.1:8443, MAP *.google.com 127.0.0.2, EXCLUDE keep.test, MAP * ~NOTFOUND',
  );

  it('maps host:port patterns only on that port, keeping the real hostname for TLS', () => {
    expect(resolveHost(rules, 'www.o2toit.com', 443)).toEqual({ host: '127.0.0.1', port: 8443, mapped: true });
    expect(resolveHost(rules, 'WWW.O2TOIT.COM', 443)).toEqual({ host: '127.0.0.1', port: 8443, mapped: true });
    expect(resolveHost(rules, 'www.o2toit.com', 80)).toEqual({ notFound: true }); // falls to MAP *
  });

  it('keeps the port when the replacement has none, and matches wildcards', () => {
    expect(resolveHost(rules, 'www.google.com', 443)).toEqual({ host: '127.0.0.2', port: 443, mapped: true });
    expect(resolveHost(rules, 'google.com', 443)).toEqual({ notFound: true }); // *.google.com needs a subdomain
  });

  it('lets EXCLUDE win over every MAP, and leaves unmatched hosts alone', () => {
    expect(resolveHost(rules, 'keep.test', 443)).toEqual({ host: 'keep.test', port: 443, mapped: false });
    expect(resolveHost(parseHostRules('MAP a.test b.test'), 'c.test', 443)).toEqual({
      host: 'c.test',
      port: 443,
      mapped: false,
    });
  });

  it('applies the first matching MAP', () => {
    const ordered = parseHostRules('MAP a.test 10.0.0.1, MAP *.test 10.0.0.2');
    expect(resolveHost(ordered, 'a.test', 443)).toMatchObject({ host: '10.0.0.1' });
    expect(resolveHost(ordered, 'b.test', 443)).toMatchObject({ host: '10.0.0.2' });
  });

  it('reads IPv6 replacements and rejects malformed rules', () => {
    expect(parseHostRules('MAP a.test [::1]:8443')).toEqual([
      { kind: 'map', pattern: 'a.test', target: { host: '::1', port: 8443 } },
    ]);
    expect(() => parseHostRules('MAP a.test')).toThrow(/expected "MAP <pattern>/);
    expect(() => parseHostRules('REWRITE a b')).toThrow(/expected/);
    expect(() => parseHostRules('MAP a.test b.test:0')).toThrow(/bad port/);
    expect(parseHostRules('')).toEqual([]);
  });
});
