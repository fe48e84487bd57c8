/**
 * Smoke test of the hermetic fixture site and the browser harness (not of the extension's logic):
 * the synthetic www.o2toit.com and its third parties load in real Chromium and Firefox, and Chromium
 * loads the built extension, whose service worker the harness can stop.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cookie } from 'playwright-core';
import { startFixtureServer } from '../../scripts/fixture-server/server.ts';
import type { FixtureServer, Hit } from '../../scripts/fixture-server/server.ts';
import { launchChromium } from './harness/chromium.ts';
import { launchFirefox } from './harness/firefox.ts';
import { CHROME_BUILD } from './harness/paths.ts';

const TEST_TIMEOUT = 60_000;
const WAIT = 15_000;
const DAY = 24 * 3600;
const SITE = 'https://www.o2toit.com/';

/** Every request the home page must cause: [host, method, exact path or pattern]. */
const EXPECTED: Array<[string, string, string | RegExp]> = [
  ['www.o2toit.com', 'GET', '/'],
  ['www.google.com', 'GET', '/recaptcha/api.js?render=explicit&hl=fr'],
  ['www.gstatic.com', 'GET', '/recaptcha/releases/fixture/recaptcha__fr.js'],
  ['www.google.com', 'GET', '/recaptcha/api2/anchor?ar=1&k=fixture-key&hl=fr'],
  ['www.google.com', 'POST', '/recaptcha/api2/reload?k=fixture-key'],
  ['www.googletagmanager.com', 'GET', '/gtag/js?id=G-FIXTURE1'],
  ['region1.google-analytics.com', 'POST', /^\/g\/collect\?v=2&tid=G-FIXTURE1&gcs=G100&cid=\d+\.\d+$/],
  ['connect.facebook.net', 'GET', '/en_US/fbevents.js'],
  ['www.facebook.com', 'GET', '/tr?id=1234&ev=PageView'],
];

/** Waits (bounded) for every expected hit sent by a browser whose user agent matches `ua`. */
async function expectSiteHits(server: FixtureServer, ua: RegExp): Promise<Hit[]> {
  return Promise.all(
    EXPECTED.map(([host, method, path]) =>
      server.waitForHit(
        (h) =>
          h.host === host &&
          h.method === method &&
          (typeof path === 'string' ? h.path === path : path.test(h.path)) &&
          ua.test(String(h.headers['user-agent'] ?? '')),
        WAIT,
      ),
    ),
  );
}

/** Polls `read` until `done` holds on its result, or fails after `timeoutMs` showing the last result. */
async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = WAIT): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** Lifetime in days of a cookie as the browser stored it (-1 for a session cookie). */
const days = (c: Cookie | undefined): number => (!c || c.expires === -1 ? -1 : (c.expires - Date.now() / 1000) / DAY);

describe('fixture site and browser harness', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it(
    'Chromium without the extension loads the site, its third parties and their cookies',
    { timeout: TEST_TIMEOUT },
    async () => {
      server.clearHits();
      const chromium = await launchChromium({ server, extension: false });
      try {
        expect(chromium.extensionId).toBeUndefined();
        const page = await chromium.context.newPage();
        await page.goto(SITE);
        expect(await page.locator('h1').textContent()).toBe('O2 to it');
        await expectSiteHits(server, /Chrome\//);

        const names = ['PHPSESSID', 'o2_pref', 'o2_visitor', 'o2_js_id', 'o2_ui', '_ga', '_fbp', '_GRECAPTCHA'];
        const cookies = await eventually(
          () => chromium.context.cookies(),
          (all) => names.every((n) => all.some((c) => c.name === n)),
        );
        const byName = (n: string): Cookie | undefined => cookies.find((c) => c.name === n);
        expect(byName('PHPSESSID')).toMatchObject({
          domain: 'www.o2toit.com',
          httpOnly: true,
          secure: true,
          expires: -1,
        });
        expect(byName('o2_ui')?.expires).toBe(-1);
        expect(days(byName('o2_pref'))).toBeCloseTo(365, 0);
        // 730 days requested by header, 5 years by document.cookie: both capped at 400 days.
        expect(byName('o2_visitor')?.domain).toBe('.o2toit.com');
        expect(days(byName('o2_visitor'))).toBeCloseTo(400, 0);
        expect(days(byName('o2_js_id'))).toBeCloseTo(400, 0);
        expect(byName('_ga')?.domain).toBe('.o2toit.com');
        expect(days(byName('_ga'))).toBeCloseTo(400, 0);
        expect(byName('_fbp')?.domain).toBe('.o2toit.com');
        expect(days(byName('_fbp'))).toBeCloseTo(90, 0);
        expect(byName('_GRECAPTCHA')).toMatchObject({ domain: 'www.google.com', path: '/recaptcha', sameSite: 'None' });
        expect(days(byName('_GRECAPTCHA'))).toBeCloseTo(180, 0);

        // The second page loads reCAPTCHA from www.recaptcha.net only.
        server.clearHits();
        await page.goto(`${SITE}recaptcha-net.html`);
        await Promise.all(
          [
            ['www.recaptcha.net', '/recaptcha/api.js?render=explicit&hl=fr'],
            ['www.gstatic.com', '/recaptcha/releases/fixture/recaptcha__fr.js'],
            ['www.recaptcha.net', '/recaptcha/api2/anchor?ar=1&k=fixture-key&hl=fr'],
            ['www.recaptcha.net', '/recaptcha/api2/reload?k=fixture-key'],
          ].map(([host, path]) => server.waitForHit({ host, path }, WAIT)),
        );
        expect(server.hitsFor('www.google.com')).toEqual([]);
        // `MAP * ~NOTFOUND`: nothing but fixture hosts ever reaches the server.
        expect(server.hits.filter((h) => !h.known)).toEqual([]);
      } finally {
        await chromium.close();
      }
    },
  );

  it("Chromium with thirdPartyCookies: 'block' keeps _GRECAPTCHA out", { timeout: TEST_TIMEOUT }, async () => {
    server.clearHits();
    const chromium = await launchChromium({ server, extension: false, thirdPartyCookies: 'block' });
    try {
      const page = await chromium.context.newPage();
      await page.goto(SITE);
      const reload = await server.waitForHit(
        { host: 'www.google.com', method: 'POST', path: '/recaptcha/api2/reload' },
        WAIT,
      );
      expect(reload.headers.cookie).toBeUndefined();
      // First-party cookies are still stored; the third-party one never is.
      const firstParty = ['PHPSESSID', 'o2_visitor', 'o2_js_id', '_ga', '_fbp'];
      const cookies = await eventually(
        () => chromium.context.cookies(),
        (all) => firstParty.every((n) => all.some((c) => c.name === n)),
      );
      expect(cookies.map((c) => c.name)).not.toContain('_GRECAPTCHA');
    } finally {
      await chromium.close();
    }
  });

  it('Firefox (proxy route) loads the site and its third parties', { timeout: TEST_TIMEOUT }, async () => {
    server.clearHits();
    const firefox = await launchFirefox({ server, extension: false });
    try {
      const page = await firefox.browser.newPage();
      await page.goto(SITE);
      await expectSiteHits(server, /Firefox\//);
      const cookie = await eventually(
        () => page.evaluate(() => document.cookie),
        (c) => /(?:^|; )o2_js_id=/.test(c),
      );
      expect(cookie).toMatch(/(?:^|; )o2_ui=compact(?:;|$)/);
    } finally {
      await firefox.close();
    }
  });

  it('Chromium loads the built extension and can stop its service worker', { timeout: TEST_TIMEOUT }, async () => {
    const manifest = JSON.parse(readFileSync(join(CHROME_BUILD, 'manifest.json'), 'utf8')) as {
      background: { service_worker: string };
    };
    const chromium = await launchChromium({ server });
    try {
      expect(chromium.extensionId).toMatch(/^[a-p]{32}$/);
      const workerUrl = chromium.extensionUrl(manifest.background.service_worker);
      const running = await eventually(
        () => chromium.serviceWorkerVersions(),
        (vs) => vs.some((v) => v.scriptURL === workerUrl && v.runningStatus === 'running'),
      );
      expect(running.map((v) => v.scriptURL)).toContain(workerUrl);

      const stopped = await chromium.stopServiceWorkers();
      expect(stopped.find((v) => v.scriptURL === workerUrl)?.runningStatus).toBe('stopped');
      expect(stopped.every((v) => v.runningStatus === 'stopped')).toBe(true);
    } finally {
      await chromium.close();
    }
  });
});
