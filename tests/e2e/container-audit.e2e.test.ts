/**
 * An isolated audit in Firefox: "Audit in a fresh container" opens the page in the dedicated
 * "Consent Auditor" container, whose store the earlier visit never touched.
 *
 * Ground truth (tests/fixtures/sites/www.o2toit.com/consent/clean-start.html): an accept leaves the
 * consent cookie cc_cookie (and _ga, _fbp, _GRECAPTCHA); every load writes cs_visitor when absent; the
 * banner (#cs-banner) shows only without cc_cookie. The auditor's default store is made dirty by an
 * accept first. The container audit must start clean and name its container, show the banner, record
 * the cookies the page sets in the container (which the container's store holds), and record none of
 * the default store's: neither the ones already there nor one the auditor's own browsing writes while
 * the container audit runs, which the default tab's audit does record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import type { AuditReport } from '../../lib/report/types';
import { launchChromium } from './harness/chromium';
import { launchFirefox, type FirefoxHarness } from './harness/firefox';
import { ask, tabIdOf, type EvaluatingPage } from './harness/extension-client';
import { POLL } from './poll';
import { assertValidReport } from './report-helpers';

const URL = 'https://www.o2toit.com/consent/clean-start.html';
const LEFT_BY_ACCEPT = ['cc_cookie', '_ga', '_fbp', '_GRECAPTCHA'];
/** A cookie the auditor's own (default-store) browsing writes during the container audit. */
const OWN_COOKIE = 'auditor_own_visit';

interface Page extends EvaluatingPage {
  goto(url: string, options: { waitUntil: 'load' }): Promise<unknown>;
  click(selector: string): Promise<void>;
}

type Tab = { id: number; url?: string; cookieStoreId?: string };

const tabs = (control: Page) =>
  control
    .evaluate(async () => JSON.stringify(await (globalThis as any).browser.tabs.query({})), undefined)
    .then((json) => JSON.parse(json as string) as Tab[]);

/** Names of the cookies of one store (partitioned ones included). */
const storeCookies = (control: Page, storeId: string) =>
  control
    .evaluate(async (id: string) => {
      const api = (globalThis as any).browser;
      const all: Array<{ name: string }> = await api.cookies.getAll({ storeId: id, partitionKey: {} });
      return JSON.stringify([...new Set(all.map((c) => c.name))].sort());
    }, storeId)
    .then((json) => JSON.parse(json as string) as string[]);

/** Runs in the tab (not a puppeteer page: a container tab is the extension's own). */
const inTab = <T>(control: Page, tabId: number, what: 'banner' | 'accept') =>
  control
    .evaluate(
      async ([id, action]: [number, string]) => {
        const [result] = await (globalThis as any).browser.scripting.executeScript({
          target: { tabId: id },
          func: (a: string) => {
            const banner = document.getElementById('cs-banner') as HTMLElement | null;
            if (a === 'accept') document.getElementById('cs-accept')?.click();
            return JSON.stringify({ ready: document.readyState, banner: !!banner && !banner.hidden });
          },
          args: [action],
        });
        return result?.result ?? 'null';
      },
      [tabId, what] as [number, string],
    )
    .then((json) => JSON.parse(json as string) as T);

async function reportOf(control: Page, tabId: number, done: (r: AuditReport) => boolean): Promise<AuditReport> {
  let report: AuditReport | undefined;
  await expect
    .poll(async () => {
      report = await ask(control, { type: 'get-report', tabId }).catch(() => undefined);
      return !!report && done(report);
    }, POLL)
    .toBe(true);
  return report!;
}

const cookieNames = (r: AuditReport) => [...new Set(r.observations.cookies.map((c) => c.name))].sort();

describe('container audit (Firefox)', () => {
  let server: FixtureServer;
  let firefox: FirefoxHarness | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('audits in a fresh container: clean start, banner, its own cookies, none of the default store', async () => {
    firefox = await launchFirefox({ server, prefs: { 'privacy.userContext.enabled': true } });
    const control = (await firefox.openExtensionPage('popup.html')) as unknown as Page;
    await firefox.waitForExtensionReady(control as never);

    // The auditor's own browsing: a visit that accepted, in the default store.
    const own = (await firefox.browser.newPage()) as unknown as Page;
    await own.goto(URL, { waitUntil: 'load' });
    await own.click('#cs-accept');
    await expect
      .poll(() => storeCookies(control, 'firefox-default'), POLL)
      .toEqual(expect.arrayContaining([...LEFT_BY_ACCEPT, 'cs_visitor']));
    const ownTab = await tabIdOf(control, URL);

    // The popup of that tab offers the container audit.
    const popup = (await firefox.openExtensionPage(`popup.html?tab=${ownTab}`)) as unknown as Page;
    await expect
      .poll(
        () => popup.evaluate(() => !!document.querySelector('[data-testid="container-audit-button"]'), undefined),
        POLL,
      )
      .toBe(true);
    await popup.click('[data-testid="container-audit-button"]');

    let tab: Tab | undefined;
    await expect
      .poll(async () => {
        tab = (await tabs(control)).find((t) => t.cookieStoreId?.startsWith('firefox-container-') && t.url === URL);
        return !!tab;
      }, POLL)
      .toBe(true);
    const storeId = tab!.cookieStoreId!;
    const tabId = tab!.id;
    await expect
      .poll(
        () =>
          popup.evaluate(
            () => document.querySelector('[data-testid="container-audit-message"]')?.textContent ?? '',
            undefined,
          ),
        POLL,
      )
      .toMatch(/"Consent Auditor"/);
    const identity = JSON.parse(
      (await control.evaluate(
        async (id: string) => JSON.stringify(await (globalThis as any).browser.contextualIdentities.get(id)),
        storeId,
      )) as string,
    ) as { name: string };
    expect(identity.name).toBe('Consent Auditor');

    // The container knows nothing of the earlier accept: the banner shows.
    await expect
      .poll(
        async () =>
          (await inTab<{ ready: string; banner: boolean }>(control, tabId, 'banner').catch(() => null))?.ready,
        POLL,
      )
      .toBe('complete');
    expect((await inTab<{ banner: boolean }>(control, tabId, 'banner')).banner).toBe(true);

    // Its start state is clean and names the container.
    const started = await reportOf(control, tabId, (r) => !!r.scenarios[0]?.startState);
    const state = started.scenarios[0]!.startState!;
    expect(state).toMatchObject({ clean: true, reasons: [], consentCookies: [], found: [] });
    expect(state.settings.container).toBe(`Consent Auditor (${storeId})`);
    expect(state.cleanStart).toBeDefined();

    // The visitor accepts in the container: its cookies land in the container's store and in the report.
    await inTab(control, tabId, 'accept');
    await expect
      .poll(() => storeCookies(control, storeId), POLL)
      .toEqual(expect.arrayContaining(['cc_cookie', 'cs_visitor', '_ga']));
    // Meanwhile the auditor's own browsing writes a cookie of the same site in the default store.
    await control.evaluate(
      async (name: string) =>
        (globalThis as any).browser.cookies.set({
          url: 'https://www.o2toit.com/',
          name,
          value: '1',
          storeId: 'firefox-default',
          expirationDate: Math.floor(Date.now() / 1000) + 3600,
        }),
      OWN_COOKIE,
    );
    // The default tab's audit records it (the event was delivered) ...
    await reportOf(control, ownTab, (r) => cookieNames(r).includes(OWN_COOKIE));
    expect(await storeCookies(control, storeId)).not.toContain(OWN_COOKIE);
    // ... the container's does not, and has what the page set in the container.
    const report = await reportOf(control, tabId, (r) =>
      ['cc_cookie', 'cs_visitor', '_ga'].every((n) => cookieNames(r).includes(n)),
    );
    assertValidReport(report);
    expect(cookieNames(report)).not.toContain(OWN_COOKIE);
    const held = await storeCookies(control, storeId);
    for (const name of cookieNames(report)) expect(held, `${name} is in the container's store`).toContain(name);
  });

  it('in Chromium, which has no containers: instructions for a fresh window, and whether incognito is allowed', async () => {
    const chromium = await launchChromium({ server });
    try {
      const control = await chromium.openExtensionPage('popup.html');
      await chromium.waitForExtensionReady(control);
      const page = await chromium.context.newPage();
      await page.goto(URL, { waitUntil: 'load' });
      const tabId = await tabIdOf(control as never, URL);
      const popup = await chromium.context.newPage();
      await popup.goto(chromium.extensionUrl(`popup.html?tab=${tabId}`));
      await popup.waitForSelector('[data-testid="fresh-window-help"]', { state: 'attached', timeout: POLL.timeout });
      expect(await popup.locator('[data-testid="container-audit-button"]').count()).toBe(0);
      // A test browser loads the extension without incognito access: the help says how to allow it.
      const allowed = await popup.evaluate(() => (globalThis as any).chrome.extension.isAllowedIncognitoAccess());
      expect(allowed).toBe(false);
      await expect
        .poll(() => popup.locator('[data-testid="incognito-state"]').textContent(), POLL)
        .toMatch(/not allowed in incognito.*chrome:\/\/extensions/);
    } finally {
      await chromium.close();
    }
  });
});
