/**
 * The parser against what real browsers stored for each header of the corpus (recorded, and kept
 * true, by tests/e2e/set-cookie-corpus.e2e.test.ts). For each browser flavour: stored or not,
 * session or persistent, and the browser's effective lifetime equals the requested one capped at
 * 400 days.
 */
import { describe, expect, it } from 'vitest';
import { parseCookieString, type CookieFlavor } from '../../lib/collectors/set-cookie';
import { BROWSER_CAP_DAYS, DAY_MS } from '../../lib/engine/lifetime';
import { loadCorpus, type StoredOutcome } from '../../scripts/fixture-server/set-cookie-corpus';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const corpus = loadCorpus();

function predicted(header: string, flavor: CookieFlavor): StoredOutcome {
  const r = parseCookieString(header, corpus.host, NOW, '/', flavor);
  if (!r.ok || r.cookie.deletes || r.cookie.refused) return { stored: false };
  if (r.cookie.session) return { stored: true, session: true };
  const days = Math.min((r.cookie.requestedExpiry! - NOW) / DAY_MS, BROWSER_CAP_DAYS);
  return { stored: true, session: false, days: Math.round(days * 100) / 100 };
}

describe('Set-Cookie corpus: the parser reads each header as the browsers stored it', () => {
  it('has cases, each with a unique cookie name', () => {
    expect(corpus.cases.length).toBeGreaterThan(20);
    expect(new Set(corpus.cases.map((c) => c.name)).size).toBe(corpus.cases.length);
  });
  for (const flavor of ['chromium', 'firefox'] as const) {
    it.each(corpus.cases.map((c) => [c.id, c] as const))(`${flavor}: %s`, (_, c) => {
      expect(predicted(c.header, flavor)).toEqual(c[flavor]);
    });
  }
});
