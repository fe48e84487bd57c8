import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchChromium, type ChromiumHarness } from './harness/chromium';
import { ask, sendRuntimeMessage, tabIdOf } from './harness/extension-client';
import { POLL } from './poll';
import {
  assertValidReport,
  checkLandingReport,
  findingIds,
  landingComplete,
  O2TOIT_LANDING_FINDINGS,
  waitForReport,
} from './report-helpers';
import type { AuditReport } from '../../lib/report/types';
import { FLUSH_DELAY_MS } from '../../lib/store/audit-store';

const SITE = 'https://www.o2toit.com/';
const KINDS = ['cookies', 'requests', 'storage', 'consent'] as const;

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
    await expect.poll(() => popup.locator('article.finding').count(), POLL).toBe(O2TOIT_LANDING_FINDINGS.length);
    expect(await popup.getByTestId('site').textContent()).toBe('o2toit.com');
    expect(await popup.getByTestId('policy').textContent()).toBe('o2toit.com');
    const recaptcha = popup.locator('article[data-rule="recaptcha-before-consent"]');
    await expect.poll(() => recaptcha.textContent(), POLL).toMatch(/Policy §IX/);
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

  it('keeps every cookie, request, storage and consent observation flushed before a stop inside the unflushed window', async () => {
    // From here on the worker's debounced flush timer (lib/store/audit-store.ts) is held, never run: an
    // event is persisted only by a report read, which flushes first, and the window stays open at will.
    const worker = chromium.context.serviceWorkers().find((w) => w.url().startsWith(chromium.extensionUrl('')));
    expect(worker, 'the extension service worker').toBeDefined();
    await worker!.evaluate((delay: number) => {
      const g = globalThis as unknown as { __flushRequests: number; setTimeout: typeof setTimeout };
      const original = g.setTimeout;
      g.__flushRequests = 0;
      g.setTimeout = ((fn: () => void, ms?: number, ...args: unknown[]) => {
        if (ms !== delay || !String(fn).includes('.flush(')) return original(fn, ms, ...args);
        // No timer id: the store's `timer ??=` asks again on its next event, so each event is counted.
        g.__flushRequests++;
        return undefined;
      }) as typeof setTimeout;
    }, FLUSH_DELAY_MS);
    const held = () => worker!.evaluate(() => (globalThis as unknown as { __flushRequests: number }).__flushRequests);

    // Every kind of observation in the audit: a storage write by the page, and a consent decision
    // (the extension clicks the homemade banner's accept button).
    await site.evaluate(() => localStorage.setItem('o2_before_stop', '1'));
    const tabId = await tabIdOf(control, SITE);
    const action = await ask(control, {
      type: 'consent-action',
      tabId,
      action: 'accept',
      selectors: { accept: '#o2-accept' },
    });
    expect(action).toMatchObject({ method: 'selector' });
    const before = await waitForReport(
      control,
      SITE,
      (r) =>
        landingComplete(r) &&
        r.scenarios[0]?.decision?.decision === 'accept' &&
        r.observations.storage.some((s) => s.key === 'o2_before_stop') &&
        r.observations.cookies.some((c) => c.name === 'o2_consent' && c.via === 'cookies-api'),
    );
    for (const kind of KINDS) expect(before.observations[kind].length, kind).toBeGreaterThan(0);
    const flushesBefore = await held();

    // Events inside the window: a cookie, a storage write and a request, recorded (each asks for a
    // flush) and not flushed.
    await site.evaluate(() => {
      document.cookie = 'o2_window=1; max-age=600; path=/; secure';
      localStorage.setItem('o2_window', '1');
      void fetch('/mentions-legales?window=1');
    });
    await server.waitForHit({ host: 'www.o2toit.com', path: '/mentions-legales?window=1' });
    await expect.poll(held, POLL).toBeGreaterThanOrEqual(flushesBefore + 3);
    await chromium.stopServiceWorkers();

    // The next request wakes the stopped worker, which rebuilds its state from storage.
    await site.goto(`${SITE}contact`, { waitUntil: 'load' });
    const after = await waitForReport(control, SITE, (r) =>
      r.observations.requests.some((q) => q.url === `${SITE}contact`),
    );
    const last = Math.max(...KINDS.flatMap((kind) => before.observations[kind].map((o) => o.seq)));
    for (const kind of KINDS) {
      // Everything a report showed before the window is kept, unchanged (the window's own events may
      // be lost: the store's stated trade-off)...
      const kept = after.observations[kind].filter((o) => o.seq <= last);
      expect(kept, kind).toEqual(before.observations[kind]);
    }
    // ...and what is recorded after the restart follows it: sequence numbers are never reused.
    const seqs = KINDS.flatMap((kind) => after.observations[kind].map((o) => o.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    const contact = after.observations.requests.find((q) => q.url === `${SITE}contact`)!;
    expect(contact.seq).toBeGreaterThan(last);
    expect(after.scenarios[0]?.decision).toMatchObject({ decision: 'accept', trusted: true });
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
