import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchChromium, type ChromiumHarness } from './harness/chromium';
import { sendRuntimeMessage, tabIdOf } from './harness/extension-client';
import { waitForReport } from './report-helpers';
import { POLL } from './poll';

const PAGE = 'https://www.o2toit.com/consent/tarteaucitron-deny.html';
// The autoconsent rule that matches this page (the platform is tarteaucitron.js, see cmp-hints.json).
const RULE = 'tarteaucitron deny';
const KEY = 'consent:v1:banner-frames'; // BANNER_FRAMES_KEY of entrypoints/background/consent-service.ts

/**
 * The MV3 worker can stop between the report of a banner and the auditor's click. The new worker
 * must still know the banner's frame and platform, from storage.session, to run autoconsent's opt-out.
 */
describe('a consent choice after the service worker restarted (Chromium)', () => {
  let server: FixtureServer;
  let chromium: ChromiumHarness;
  let control: Page;

  beforeAll(async () => {
    server = await startFixtureServer();
    chromium = await launchChromium({ server });
    control = await chromium.openExtensionPage('popup.html');
    await chromium.waitForExtensionReady(control);
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('refuses through the banner frame the stopped worker had found', async () => {
    const site = await chromium.context.newPage();
    await site.goto(PAGE, { waitUntil: 'load' });
    await waitForReport(
      control,
      PAGE,
      (r) => r.observations.consent.some((c) => c.event === 'banner-shown' && c.platform === 'tarteaucitron.js'),
      30_000,
    );
    const tabId = await tabIdOf(control, PAGE);
    // The banner's frame is in session storage before the worker is stopped.
    await expect
      .poll(
        () =>
          control.evaluate(
            (key) =>
              (
                globalThis as unknown as {
                  chrome: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } };
                }
              ).chrome.storage.session.get(key),
            KEY,
          ),
        POLL,
      )
      .toEqual({ [KEY]: { [tabId]: { frameId: 0, cmp: RULE } } });
    await chromium.stopServiceWorkers();

    const answer = await sendRuntimeMessage(control, {
      type: 'consent-action',
      tabId,
      action: 'reject',
    });
    expect(answer).toMatchObject({ ok: true, value: { method: 'autoconsent', platform: RULE } });
    const report = await waitForReport(
      control,
      PAGE,
      (r) => r.observations.consent.some((c) => c.event === 'decision-stored' && c.decision === 'reject'),
      30_000,
    );
    expect(report.scenarios[0]?.decision).toMatchObject({ decision: 'reject', trusted: true });
  });
});
