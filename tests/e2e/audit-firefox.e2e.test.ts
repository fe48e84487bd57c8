import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchFirefox, type FirefoxHarness } from './harness/firefox';
import { ask } from './harness/extension-client';
import { checkLandingReport, landingComplete, waitForReport } from './report-helpers';

const SITE = 'https://www.o2toit.com/';

describe('the built extension audits o2toit.com in Firefox ESR', () => {
  let server: FixtureServer;
  let firefox: FirefoxHarness;
  let control: Page;

  beforeAll(async () => {
    server = await startFixtureServer();
    firefox = await launchFirefox({ server });
    control = await firefox.openExtensionPage('popup.html');
    await firefox.waitForExtensionReady(control);
  });

  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('raises exactly the expected findings, with requested and effective lifetimes', async () => {
    const site = await firefox.browser.newPage();
    await site.goto(SITE, { waitUntil: 'load' });
    const report = await waitForReport(control, SITE, landingComplete, 30_000);
    checkLandingReport(report);
    expect(report.provenance.browser.name).toBe('Firefox');
    expect(report.provenance.browser.version).toMatch(/^\d+\.\d+/);
    // Firefox partitions third-party cookies (Total Cookie Protection): _GRECAPTCHA lives in o2toit.com's partition.
    const grecaptcha = report.observations.cookies.find((c) => c.name === '_GRECAPTCHA' && c.via === 'cookies-api');
    expect(grecaptcha?.partitionKey).toMatch(/o2toit\.com/);
  });

  it('registers its page-world hook for audited sites only', async () => {
    const status = await ask(control, { type: 'status' });
    expect(status.policies.flatMap((p) => p.sites)).toEqual(['o2toit.com']);
  });
});
