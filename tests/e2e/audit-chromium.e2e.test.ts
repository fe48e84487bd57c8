import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchChromium, type ChromiumHarness } from './harness/chromium';
import { ask, sendRuntimeMessage, tabIdOf } from './harness/extension-client';
import {
  assertValidReport,
  checkLandingReport,
  findingIds,
  landingComplete,
  O2TOIT_LANDING_FINDINGS,
  waitForReport,
} from './report-helpers';
import type { AuditReport } from '../../lib/report/types';

const SITE = 'https://www.o2toit.com/';

describe('the built extension audits o2toit.com in Chromium', () => {
  let server: FixtureServer;
  let chromium: ChromiumHarness;
  let control: Page;
  let site: Page;
  let landing: AuditReport;

  beforeAll(async () => {
    server = await startFixtureServer();
    chromium = await launchChromium({ server });
    control = await chromium.openExtensionPage('popup.html');
    await chromium.waitForExtensionReady(control);
    site = await chromium.context.newPage();
    await site.goto(SITE, { waitUntil: 'load' });
    landing = await waitForReport(control, SITE, landingComplete);
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('raises exactly the expected findings, with requested and effective lifetimes', () => {
    checkLandingReport(landing);
    expect(landing.provenance).toMatchObject({
      site: 'o2toit.com',
      targetUrl: SITE,
      tool: { name: 'Consent Auditor' },
      browser: { name: 'Chromium' },
      policy: { id: 'o2toit.com', version: '2026-11-26' },
    });
    expect(landing.provenance.policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(landing.provenance.browser.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(landing.provenance.browser.version).not.toMatch(/\.0\.0\.0$/); // the full version, not the reduced UA
    // Requests of every third party of the tab were seen, with first/third party decided on the registrable domain.
    const hosts = new Set(landing.observations.requests.map((r) => r.host));
    for (const host of [
      'www.o2toit.com',
      'www.google.com',
      'www.gstatic.com',
      'www.googletagmanager.com',
      'region1.google-analytics.com',
      'connect.facebook.net',
      'www.facebook.com',
    ]) {
      expect(hosts.has(host), host).toBe(true);
    }
    expect(landing.observations.requests.find((r) => r.host === 'www.o2toit.com')?.thirdParty).toBe(false);
    expect(landing.observations.requests.find((r) => r.host === 'www.google.com')?.thirdParty).toBe(true);
  });

  it('shows the findings and their evidence in the popup, and exports the same report as JSON', async () => {
    const tabId = await tabIdOf(control, SITE);
    const popup = await chromium.openExtensionPage(`popup.html?tab=${tabId}`);
    await popup.getByTestId('findings').waitFor();
    await expect.poll(() => popup.locator('article.finding').count()).toBe(O2TOIT_LANDING_FINDINGS.length);
    expect(await popup.getByTestId('site').textContent()).toBe('o2toit.com');
    expect(await popup.getByTestId('policy').textContent()).toBe('o2toit.com');
    const recaptcha = popup.locator('article[data-rule="recaptcha-before-consent"]');
    await expect.poll(() => recaptcha.textContent()).toMatch(/Policy §IX/);
    const visitor = popup.locator(
      'article[data-rule="cookie-lifetime-exceeds-policy"][data-subject="o2_visitor@o2toit.com"]',
    );
    expect(await visitor.textContent()).toMatch(/requested 730 d.*stored 400 d/s);

    const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByTestId('export').click()]);
    expect(download.suggestedFilename()).toMatch(/^consent-audit-o2toit\.com-.*\.json$/);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    assertValidReport(exported);
    expect(findingIds(exported)).toEqual(O2TOIT_LANDING_FINDINGS);
    await popup.close();
  });

  it('loses nothing recorded before the service worker is stopped mid-audit', async () => {
    const before = await waitForReport(control, SITE, landingComplete);
    const seen = before.observations.requests.map((r) => `${r.seq} ${r.url}`);
    await chromium.stopServiceWorkers();
    // The next request wakes the stopped worker, which must rebuild its state from storage.
    await site.goto(`${SITE}contact`, { waitUntil: 'load' });
    const after = await waitForReport(control, SITE, (r) =>
      r.observations.requests.some((q) => q.url === `${SITE}contact`),
    );
    const kept = after.observations.requests.map((r) => `${r.seq} ${r.url}`);
    expect(kept.slice(0, seen.length)).toEqual(seen);
    expect(Math.min(...after.observations.requests.slice(seen.length).map((r) => r.seq))).toBeGreaterThan(
      Math.max(...before.observations.requests.map((r) => r.seq)),
    );
    expect(findingIds(after)).toEqual(expect.arrayContaining(O2TOIT_LANDING_FINDINGS));
  });

  it('does not audit sites without a declared policy, and answers status with the built-in policy', async () => {
    const status = await ask(control, { type: 'status' });
    expect(status.ready).toBe(true);
    expect(status.policies.map((p) => p.id)).toEqual(['o2toit.com']);
    expect(status.audits.map((a) => a.site)).toEqual(['o2toit.com']);
    const other = await chromium.context.newPage();
    await other.goto('https://www.google.com/recaptcha/api.js', { waitUntil: 'load' });
    const tabId = await tabIdOf(control, 'https://www.google.com/');
    const response = await sendRuntimeMessage(control, { type: 'get-report', tabId });
    expect(response).toEqual({
      ok: false,
      refusal: { code: 'not-under-audit', message: expect.stringMatching(/not under audit/) },
    });
    await other.close();
  });
});
