/**
 * The journeys as the auditor plays them in the popup (components/JourneyActions.svelte), in
 * Chromium, on the breaking journeys fixture (tests/fixtures/sites/www.o2toit.com/journeys/breaking/):
 * measure the banner, accept (a real click, marked in the popup), withdraw, then reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchChromium, type ChromiumHarness } from './harness/chromium';
import { tabIdOf } from './harness/extension-client';
import { POLL } from './poll';
import { assertValidReport, waitForReport } from './report-helpers';

const URL = 'https://www.o2toit.com/journeys/breaking/';

describe('the journeys in the popup (Chromium)', () => {
  let server: FixtureServer;
  let chromium: ChromiumHarness | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('measure, withdraw and reload each raise their finding on the breaking site', async () => {
    chromium = await launchChromium({ server });
    const control = await chromium.openExtensionPage('popup.html');
    await chromium.waitForExtensionReady(control);
    const site = await chromium.context.newPage();
    await site.goto(URL, { waitUntil: 'load' });
    const tabId = await tabIdOf(control, URL);
    const popup = await chromium.context.newPage();
    await popup.goto(chromium.extensionUrl(`popup.html?tab=${tabId}`));
    await popup.getByTestId('journeys').waitFor();
    const rules = (r: { findings: Array<{ rule: string }> }) => r.findings.map((f) => f.rule);

    await popup.getByTestId('journey-measure').click();
    await expect
      .poll(() => popup.getByTestId('journey-message').textContent(), POLL)
      .toMatch(/^Done: measured 2 layer/);
    let report = await waitForReport(control, URL, (r) => rules(r).includes('pre-ticked-choices'));
    expect(rules(report)).toContain('refusal-harder-than-acceptance');

    // The settings layer is open: the auditor marks the acceptance, then really clicks its "Tout accepter".
    await popup.getByRole('button', { name: 'I accepted' }).click();
    await waitForReport(control, URL, (r) => r.scenarios[0]?.decision?.decision === 'accept');
    await site.click('#bk-accept-2');
    await waitForReport(control, URL, (r) =>
      r.observations.requests.some((q) => q.phase === 'after-accept' && q.url.includes('/g/collect')),
    );

    await popup.getByTestId('journey-withdraw').click();
    await expect
      .poll(() => popup.getByTestId('journey-message').textContent(), POLL)
      .toMatch(/^Done: withdrew by "Gérer mes cookies" then "Paramétrer" then "Continuer sans accepter"/);
    report = await waitForReport(control, URL, (r) => rules(r).includes('tracking-after-withdrawal'));

    await popup.getByTestId('journey-revisit').click();
    await expect
      .poll(() => popup.getByTestId('journey-message').textContent(), POLL)
      .toMatch(/^Done: a visible consent banner/);
    report = await waitForReport(control, URL, (r) => rules(r).includes('consent-not-remembered'));
    assertValidReport(report);
    expect(report.scenarios[0]?.laterDecisions?.at(-1)).toMatchObject({ decision: 'reject', trusted: true });
  });
});
