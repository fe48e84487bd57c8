/**
 * The officer's journeys in Firefox ESR with the built extension (tests/e2e/officer-flows.ts): the
 * language switch, a site without a policy audited against the law's baseline, and a policy
 * written in the editor that the next audit uses.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchFirefox, type FirefoxHarness } from './harness/firefox';
import { baselineAudit, editorPolicyUsed, languageSwitch, policyFormatPage, type Driver } from './officer-flows';

describe('the officer in Firefox: languages, a site without a policy, the policy editor', () => {
  let server: FixtureServer;
  let firefox: FirefoxHarness;
  let control: Page;
  let driver: Driver;

  beforeAll(async () => {
    server = await startFixtureServer();
    firefox = await launchFirefox({ server });
    control = await firefox.openExtensionPage('options.html');
    await firefox.waitForExtensionReady(control);
    driver = {
      openPage: (path) => firefox.openExtensionPage(path),
      async openSite(url) {
        const page = await firefox.browser.newPage();
        await page.goto(url, { waitUntil: 'load' });
        return page;
      },
    };
  });

  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('switches the popup and options between English and French', () => languageSwitch(driver));
  it('audits a site without a policy against the law', () => baselineAudit(driver, control));
  it('uses a policy written in the editor for the next audit', () => editorPolicyUsed(driver, control));
  it('shows the policy format as a document, not Markdown source', () => policyFormatPage(driver));
});
