/**
 * A clean start that is really clean, and a dirty start that is reported, in Chromium and Firefox.
 *
 * The fixture (tests/fixtures/sites/www.o2toit.com/consent/clean-start.html) is a vanilla-cookieconsent
 * stand-in: an accept leaves its consent cookie cc_cookie, gtag's _ga, the Meta pixel's _fbp and
 * reCAPTCHA's third-party _GRECAPTCHA; every load writes cs_visitor (only when absent) and counts itself
 * in localStorage cs_visits and sessionStorage cs_loads. A second visit (a new tab) starts over the
 * consent cookie: its banner does not show, and the audit must say so. The popup's clean start must
 * then remove everything the accept left and reopen the page, whose banner shows again, in an audit
 * whose start state is clean.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import type { AuditReport } from '../../lib/report/types';
import { launchChromium } from './harness/chromium';
import { launchFirefox } from './harness/firefox';
import { ask, tabIdOf, type EvaluatingPage } from './harness/extension-client';
import { POLL } from './poll';
import { assertValidReport } from './report-helpers';

const URL = 'https://www.o2toit.com/consent/clean-start.html';
/** What an accept on the fixture leaves (its ground truth), besides cs_visitor that every load writes. */
const LEFT_BY_ACCEPT = ['cc_cookie', '_ga', '_fbp', '_GRECAPTCHA'];
const PLATFORM = 'CookieConsent (vanilla-cookieconsent)';

/** The part of a Playwright or puppeteer page the journey uses. */
interface SitePage extends EvaluatingPage {
  goto(url: string, options: { waitUntil: 'load' }): Promise<unknown>;
  click(selector: string): Promise<void>;
  close(): Promise<void>;
}

interface Browser {
  firefox: boolean;
  /** An extension page to ask the background and read the cookie store from. */
  control: SitePage;
  newPage(): Promise<SitePage>;
  popup(tabId: number): Promise<SitePage>;
}

/** Names of the cookies the browser holds (partitioned ones included) among `names`. */
async function cookieNames(control: SitePage, names: string[]): Promise<string[]> {
  const found = (await control.evaluate(async (wanted: string[]) => {
    const api = (globalThis as any).browser ?? (globalThis as any).chrome;
    const all: Array<{ name: string }> = await api.cookies
      .getAll({ partitionKey: {} })
      .catch(() => api.cookies.getAll({}));
    return JSON.stringify(all.map((c) => c.name).filter((n) => wanted.includes(n)));
  }, names)) as string;
  return [...new Set(JSON.parse(found) as string[])].sort();
}

/** What the audited page shows and holds; undefined while it is navigating. */
async function pageState(page: SitePage) {
  try {
    return (await page.evaluate(
      () => ({
        href: location.href,
        ready: document.readyState,
        banner: !(document.getElementById('cs-banner') as HTMLElement | null)?.hidden,
        visitor: /(?:^|; )cs_visitor=([^;]*)/.exec(document.cookie)?.[1],
        visits: localStorage.getItem('cs_visits'),
        loads: sessionStorage.getItem('cs_loads'),
      }),
      undefined,
    )) as { href: string; ready: string; banner: boolean; visitor?: string; visits: string; loads: string };
  } catch {
    return undefined;
  }
}

async function loaded(page: SitePage) {
  let state: Awaited<ReturnType<typeof pageState>>;
  await expect
    .poll(async () => {
      state = await pageState(page);
      return state?.href === URL && state.ready === 'complete';
    }, POLL)
    .toBe(true);
  return state!;
}

/** The tab's report once `done` holds (polled, bounded). */
async function reportOf(control: SitePage, tabId: number, done: (r: AuditReport) => boolean): Promise<AuditReport> {
  let report: AuditReport | undefined;
  await expect
    .poll(async () => {
      report = await ask(control, { type: 'get-report', tabId }).catch(() => undefined);
      return !!report && done(report);
    }, POLL)
    .toBe(true);
  return report!;
}

const text = (page: SitePage, selector: string) =>
  page.evaluate(
    (s: string) =>
      [...document.querySelectorAll(s)].map((e) => `${(e as HTMLElement).dataset.clean ?? ''}|${e.textContent}`),
    selector,
  ) as Promise<string[]>;

async function journey(b: Browser): Promise<void> {
  // A first visit in a fresh profile: clean, and the visitor accepts.
  const first = await b.newPage();
  await first.goto(URL, { waitUntil: 'load' });
  expect((await loaded(first)).banner).toBe(true);
  const firstTab = await tabIdOf(b.control, URL);
  const firstReport = await reportOf(b.control, firstTab, (r) => !!r.scenarios[0]?.startState);
  expect(firstReport.scenarios[0]!.startState).toMatchObject({ clean: true, reasons: [], consentCookies: [] });
  // Settings the extension may not read are "unknown", with the reason; Firefox's banner handling always is.
  const settings = firstReport.scenarios[0]!.startState!.settings;
  expect(settings.thirdPartyCookies).toEqual({
    state: 'unknown',
    how: expect.stringMatching(/optional "privacy" permission is not granted/),
  });
  expect(settings.otherExtensions).toEqual({
    state: 'unknown',
    how: expect.stringMatching(/optional "management" permission/),
  });
  expect(settings.privateWindow).toBe(false);
  expect(settings.cookieBanners).toEqual(
    b.firefox ? { state: 'unknown', how: expect.stringMatching(/cookiebanners\.service\.mode/) } : undefined,
  );
  await first.click('#cs-accept');
  await expect
    .poll(() => cookieNames(b.control, [...LEFT_BY_ACCEPT, 'cs_visitor']), POLL)
    .toEqual([...LEFT_BY_ACCEPT, 'cs_visitor'].sort());
  await first.close();

  // A second visit starts over the consent cookie: no banner, and a dirty start named in the report.
  const site = await b.newPage();
  await site.goto(URL, { waitUntil: 'load' });
  const before = await loaded(site);
  expect(before.banner).toBe(false);
  expect(before.visits).toBe('2');
  const tabId = await tabIdOf(b.control, URL);
  const dirty = await reportOf(b.control, tabId, (r) => !!r.scenarios[0]?.startState);
  assertValidReport(dirty);
  const state = dirty.scenarios[0]!.startState!;
  expect(state.clean).toBe(false);
  expect(state.consentCookies).toEqual([{ name: 'cc_cookie', domain: 'www.o2toit.com', platform: PLATFORM }]);
  expect(state.reasons[0]).toBe(
    `a consent cookie (cc_cookie, ${PLATFORM}) was already present: the banner may not show and the decision of an earlier visit applies`,
  );
  // Everything the first visit left is named (no value: the record has none).
  for (const name of [...LEFT_BY_ACCEPT, 'cs_visitor']) expect(state.found.map((f) => f.name)).toContain(name);
  // Storage read before any page script: the first visit's localStorage counter; sessionStorage is per tab.
  expect(state.found.filter((f) => f.store !== 'cookie').map((f) => `${f.store} ${f.name}`)).toEqual([
    'localStorage cs_visits',
  ]);
  expect(JSON.stringify(dirty)).not.toMatch(/"value"\s*:/); // no cookie value, even of what was there before
  expect(dirty.provenance.notes.join('\n')).toMatch(/The audit did not start clean: a consent cookie \(cc_cookie/);

  // The popup warns, and its clean start asks for confirmation first.
  const popup = await b.popup(tabId);
  await expect
    .poll(() => text(popup, '[data-testid="start-state"]'), POLL)
    .toEqual([
      expect.stringMatching(/^false\|This audit did not start clean\..*a consent cookie \(cc_cookie, CookieConsent/s),
    ]);
  await popup.click('[data-testid="clean-start-button"]');
  await expect.poll(() => popup.evaluate(() => document.querySelector('dialog')?.open, undefined), POLL).toBe(true);
  expect(await cookieNames(b.control, LEFT_BY_ACCEPT)).toEqual([...LEFT_BY_ACCEPT].sort()); // nothing cleared yet
  await popup.click('[data-testid="clean-start-confirm"]');

  // The page reopens from a clean state: banner back, storage counters restarted, cookies gone.
  await expect
    .poll(() => text(popup, '[data-testid="clean-start-message"]'), POLL)
    .toEqual([expect.stringMatching(/^\|Cleared \d+ cookie\(s\)/)]);
  await expect.poll(async () => (await pageState(site))?.banner, POLL).toBe(true);
  const after = await loaded(site);
  expect(after.visits).toBe('1');
  expect(after.loads).toBe('1');
  expect(after.visitor).toBeDefined();
  expect(after.visitor).not.toBe(before.visitor);
  expect(await cookieNames(b.control, LEFT_BY_ACCEPT)).toEqual([]);

  const clean = await reportOf(b.control, tabId, (r) => !!r.scenarios[0]?.startState?.cleanStart);
  assertValidReport(clean);
  const cleanState = clean.scenarios[0]!.startState!;
  expect(cleanState).toMatchObject({ clean: true, reasons: [], consentCookies: [], found: [] });
  expect(cleanState.cleanStart!.cookies).toBeGreaterThanOrEqual(LEFT_BY_ACCEPT.length + 1);
  expect(cleanState.cleanStart!.hosts).toEqual(expect.arrayContaining(['www.o2toit.com', 'www.google.com']));
  expect(clean.observations.cookies.filter((c) => c.action === 'removed')).toEqual([]); // our own removals are no evidence
  await expect.poll(() => text(popup, '[data-testid="start-state"]'), POLL).toEqual([expect.stringMatching(/^true\|/)]);
}

describe('clean start', () => {
  let server: FixtureServer;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('in Chromium: a dirty start is reported, and a clean start removes what the first visit left', async () => {
    const chromium = await launchChromium({ server });
    close = () => chromium.close();
    const control = await chromium.openExtensionPage('popup.html');
    await chromium.waitForExtensionReady(control);
    await journey({
      firefox: false,
      control: control as unknown as SitePage,
      newPage: async () => (await chromium.context.newPage()) as unknown as SitePage,
      popup: async (tabId) => {
        const page = await chromium.context.newPage();
        await page.goto(chromium.extensionUrl(`popup.html?tab=${tabId}`));
        return page as unknown as SitePage;
      },
    });
  });

  it('in Firefox: a dirty start is reported, and a clean start removes what the first visit left', async () => {
    const firefox = await launchFirefox({ server });
    close = () => firefox.close();
    const control = await firefox.openExtensionPage('popup.html');
    await firefox.waitForExtensionReady(control);
    await journey({
      firefox: true,
      control: control as unknown as SitePage,
      newPage: async () => (await firefox.browser.newPage()) as unknown as SitePage,
      popup: async (tabId) => (await firefox.openExtensionPage(`popup.html?tab=${tabId}`)) as unknown as SitePage,
    });
  });
});
