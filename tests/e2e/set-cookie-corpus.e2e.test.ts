/**
 * Keeps the Set-Cookie corpus true: the fixture serves every corpus header in one response, and
 * what real Chromium and Firefox stored (read from the browser's own cookie store, no extension)
 * must equal what `tests/unit/data/set-cookie-corpus.json` records for that browser. Run with
 * `RECORD_CORPUS=1` to print the observed outcomes as JSON instead of failing on the first mismatch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server.ts';
import { loadCorpus, type StoredOutcome } from '../../scripts/fixture-server/set-cookie-corpus.ts';
import { launchChromium } from './harness/chromium.ts';
import { launchFirefox } from './harness/firefox.ts';

const corpus = loadCorpus();
const URL_ = `https://${corpus.host}${corpus.path}`;
const DAY_S = 86_400;

/** What the browser kept of each corpus cookie, from `{name, expires (s, -1 for session)}` records. */
function outcomes(cookies: ReadonlyArray<{ name: string; expires: number }>, setAt: number) {
  return Object.fromEntries(
    corpus.cases.map((c) => {
      const found = cookies.find((k) => k.name === c.name);
      const outcome: StoredOutcome = !found
        ? { stored: false }
        : found.expires < 0
          ? { stored: true, session: true }
          : { stored: true, session: false, days: Math.round(((found.expires - setAt / 1000) / DAY_S) * 100) / 100 };
      return [c.id, outcome];
    }),
  );
}

const expected = (browser: 'chromium' | 'firefox') => Object.fromEntries(corpus.cases.map((c) => [c.id, c[browser]]));

function report(browser: string, observed: Record<string, StoredOutcome>): void {
  if (process.env.RECORD_CORPUS) console.log(`${browser} corpus outcomes:\n${JSON.stringify(observed)}`);
}

describe('Set-Cookie corpus in real browsers', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('Chromium stores exactly what the corpus records', { timeout: 60_000 }, async () => {
    const chromium = await launchChromium({ server, extension: false });
    try {
      const page = await chromium.context.newPage();
      const setAt = Date.now();
      const response = await page.goto(URL_);
      expect(response?.status()).toBe(200);
      const observed = outcomes(await chromium.context.cookies(), setAt);
      report('chromium', observed);
      expect(observed).toEqual(expected('chromium'));
    } finally {
      await chromium.close();
    }
  });

  it('Firefox stores exactly what the corpus records', { timeout: 90_000 }, async () => {
    const firefox = await launchFirefox({ server, extension: false });
    try {
      const page = await firefox.browser.newPage();
      const setAt = Date.now();
      const response = await page.goto(URL_);
      expect(response?.status()).toBe(200);
      const observed = outcomes(await firefox.browser.cookies(), setAt);
      report('firefox', observed);
      expect(observed).toEqual(expected('firefox'));
    } finally {
      await firefox.close();
    }
  });
});
