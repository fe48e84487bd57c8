import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchChromium, type ChromiumHarness } from './harness/chromium';
import { tabIdOf } from './harness/extension-client';
import { POLL } from './poll';
import { waitForReport, assertValidReport } from './report-helpers';

/** A person browsing with the extension: real clicks on the banner, and the popup's own controls. */
describe('interactive consent in Chromium', () => {
  let server: FixtureServer;
  let chromium: ChromiumHarness | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await chromium?.close();
    chromium = undefined;
  });

  async function open(page: string): Promise<{ control: Page; site: Page; url: string }> {
    chromium = await launchChromium({ server });
    const control = await chromium.openExtensionPage('popup.html');
    await chromium.waitForExtensionReady(control);
    const site = await chromium.context.newPage();
    const url = `https://www.o2toit.com/consent/${page}`;
    await site.goto(url, { waitUntil: 'load' });
    return { control, site, url };
  }

  it("a visitor's real click on a known accept control is a trusted decision", async () => {
    const { control, site, url } = await open('tarteaucitron.html');
    await waitForReport(control, url, (r) => r.observations.consent.some((c) => c.event === 'banner-shown'));
    await site.click('#tarteaucitronPersonalize'); // a real input event: isTrusted
    const report = await waitForReport(control, url, (r) =>
      r.observations.requests.some((q) => q.url.includes('/g/collect')),
    );
    assertValidReport(report);
    expect(report.scenarios[0]!.decision).toMatchObject({ decision: 'accept', trusted: true });
    expect(report.scenarios[0]!.decision!.how).toMatch(
      /the visitor clicked the accept control #tarteaucitronPersonalize .*a real, isTrusted click/,
    );
    expect(report.observations.requests.find((q) => q.url.includes('/g/collect'))!.phase).toBe('after-accept');
  });

  it("a page's own click on its accept button is not a decision", async () => {
    const { control, site, url } = await open('tarteaucitron.html');
    await waitForReport(control, url, (r) => r.observations.consent.some((c) => c.event === 'banner-shown'));
    await site.evaluate(() => (document.querySelector('#tarteaucitronPersonalize') as HTMLElement).click()); // script click: isTrusted false
    const report = await waitForReport(control, url, (r) =>
      r.observations.requests.some((q) => q.url.includes('/g/collect')),
    );
    expect(report.scenarios[0]!.decision).toBeUndefined();
    expect(report.scenarios[0]!.untrustedSignals!.map((s) => s.how).join()).toMatch(
      /consent cookie tarteaucitron written by the page/,
    );
    expect(report.findings.map((f) => f.id)).toContain('tracker-before-consent:google-analytics');
  });

  it('for an unknown banner, the real click is the decision, and the mark made after it keeps the click as the decision', async () => {
    const { control, site, url } = await open('custom.html');
    await waitForReport(control, url, (r) => r.observations.consent.some((c) => c.banner?.kind === 'generic'));
    await site.click('#cc-refuse');
    const tabId = await tabIdOf(control, url);
    const popup = await chromium!.context.newPage();
    await popup.goto(chromium!.extensionUrl(`popup.html?tab=${tabId}`));
    await popup.getByTestId('consent').waitFor();
    await expect.poll(() => popup.getByTestId('platform').textContent(), POLL).toBe('detected (not a known platform)');
    await expect.poll(() => popup.getByTestId('decision').textContent(), POLL).toBe('reject');
    await popup.getByRole('button', { name: 'I refused' }).click();
    const report = await waitForReport(control, url, (r) =>
      r.observations.consent.some((c) => c.event === 'decision' && c.source === 'extension'),
    );
    const click = report.observations.consent.find((c) => c.timeSource === 'click' && c.source === 'page-state')!;
    expect(click.selector).toContain('#cc-refuse');
    // One decision: the click's. The mark agrees with it, so it opens no phase of its own.
    expect(report.scenarios[0]!.decision).toMatchObject({
      decision: 'reject',
      trusted: true,
      timeSource: 'click',
      how: expect.stringMatching(/clicked button#cc-refuse "Tout refuser", a banner control whose words say refuse/),
    });
    expect(Date.parse(report.scenarios[0]!.decision!.time)).toBe(click.time);
    expect(report.scenarios[0]!.laterDecisions).toBeUndefined();
  });

  it('the popup drives an automated refusal through autoconsent, with its self-test', async () => {
    const { control, url } = await open('axeptio.html');
    await waitForReport(control, url, (r) => r.observations.consent.some((c) => c.event === 'banner-shown'));
    const tabId = await tabIdOf(control, url);
    const popup = await chromium!.context.newPage();
    await popup.goto(chromium!.extensionUrl(`popup.html?tab=${tabId}`));
    await popup.getByRole('button', { name: 'Refuse via the banner' }).click();
    await expect
      .poll(() => popup.getByTestId('consent-message').textContent(), POLL)
      .toMatch(/Done through autoconsent \(axeptio\); self-test passed/);
    const report = await waitForReport(control, url, (r) =>
      r.findings.some((f) => f.rule === 'tracking-after-refusal'),
    );
    expect(report.findings.map((f) => f.id)).toContain('tracking-after-refusal:meta-pixel');
    await expect.poll(() => popup.locator('article[data-rule="tracking-after-refusal"]').count(), POLL).toBe(1);
  });
});
