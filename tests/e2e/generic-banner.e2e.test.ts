/**
 * A home-made French banner no consent platform rule knows (tests/fixtures/sites/www.o2toit.com/consent/banner-maison.html):
 * found by its shape once it is inserted after the load, its controls read by their words, and
 * driven from the popup and by message without any CSS selector, in the page and in an open shadow root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { audit } from './harness/run-cli';
import { openBannerPage } from './banner-session';
import { ask, tabIdOf } from './harness/extension-client';
import { POLL } from './poll';
import { assertValidReport } from './report-helpers';

/** The first layer's controls, in DOM order, with the kind their words say (the fixture's ground truth). */
const FIRST_LAYER = [
  ['Accepter', 'accept'],
  ['Paramétrer', 'settings'],
  ['Continuer sans accepter', 'refuse'],
  ['×', 'close'],
];
const generic = (r: AuditReport) => r.observations.consent.find((c) => c.banner?.kind === 'generic');
const isBeacon = (url: string | undefined) => !!url?.includes('google-analytics.com/g/collect');

describe.each(['chromium', 'firefox'] as const)('a banner of no known platform in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is found by its shape, its controls classified and measured, and the popup says so', async () => {
    const page = await openBannerPage(kind, server, 'banner-maison.html');
    try {
      const report = await page.report((r) => !!generic(r));
      assertValidReport(report);
      expect(await page.evaluate(() => (window as unknown as { __bm: { shown: boolean } }).__bm.shown)).toBe(true);
      const banner = generic(report)!.banner!;
      expect(banner.controls.map((c) => [c.text, c.kind])).toEqual(FIRST_LAYER);
      expect(banner.words).toEqual(expect.arrayContaining(['cookie*', 'traceur*', 'partenaires']));
      // Computed styles, as the fixture's CSS sets them: a large green "Accepter", a small grey refusal link.
      const accept = banner.controls.find((c) => c.kind === 'accept')!;
      const refuse = banner.controls.find((c) => c.kind === 'refuse')!;
      expect(accept).toMatchObject({ color: 'rgb(255, 255, 255)', background: 'rgb(34, 170, 102)', fontSize: '16px' });
      expect(refuse).toMatchObject({ color: 'rgb(153, 153, 153)', fontSize: '11px', layer: 1 });
      expect(accept.width * accept.height).toBeGreaterThan(refuse.width * refuse.height);
      expect(generic(report)!.platform).toBeUndefined();
      expect(report.scenarios[0]!.decision).toBeUndefined();

      const popup = await page.popup();
      await expect.poll(() => popup.text('platform'), POLL).toBe('detected (not a known platform)');
      expect(await popup.text('banner-controls')).toBe(FIRST_LAYER.map(([text]) => text).join(' / '));
    } finally {
      await page.close();
    }
  });

  it('"Accept via the banner" clicks "Accepter" by its words, without selectors', async () => {
    const page = await openBannerPage(kind, server, 'banner-maison.html');
    try {
      await page.report((r) => !!generic(r));
      const popup = await page.popup();
      await popup.press('Accept via the banner');
      await expect.poll(() => popup.text('consent-message'), POLL).toBe('Done through banner-text ("Accepter").');
      expect(await page.evaluate(() => (window as unknown as { __bm: { choice: string } }).__bm.choice)).toBe('accept');
      const report = await page.report((r) => r.observations.requests.some((q) => isBeacon(q.url)));
      expect(report.scenarios[0]!.decision).toMatchObject({
        decision: 'accept',
        timeSource: 'extension-action',
        how: expect.stringMatching(/clicked the banner's accept control, found by its words/),
      });
      expect(report.observations.cookies.some((c) => c.name === 'bm_choix')).toBe(true);
      const gaRequests = report.observations.requests.filter((q) => q.site === 'google-analytics.com');
      expect(gaRequests.length).toBeGreaterThan(0);
      expect(gaRequests.every((q) => q.phase === 'after-accept')).toBe(true);
      expect(report.findings.filter((f) => f.phase === 'before-consent')).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('"Refuse via the banner" clicks "Continuer sans accepter"; the beacon it sends is tracking after the refusal', async () => {
    const page = await openBannerPage(kind, server, 'banner-maison.html');
    try {
      await page.report((r) => !!generic(r));
      const popup = await page.popup();
      await popup.press('Refuse via the banner');
      await expect
        .poll(() => popup.text('consent-message'), POLL)
        .toBe('Done through banner-text ("Continuer sans accepter").');
      expect(await page.evaluate(() => (window as unknown as { __bm: { choice: string } }).__bm.choice)).toBe('refuse');
      const report = await page.report((r) => r.findings.some((f) => f.rule === 'tracking-after-refusal'));
      assertValidReport(report);
      const finding = report.findings.find((f) => f.id === 'tracking-after-refusal:google-analytics')!;
      expect(finding.phase).toBe('after-reject');
      expect(finding.evidence.some((e) => isBeacon(e.url) && e.url!.includes('en=refus'))).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('npm run audit plays accept and reject on it by its words, with no selector', async () => {
    // Firefox launches are slow on 2 cores: there, the refusal alone (the scenario with the violation).
    const scenarios = kind === 'chromium' ? ['none', 'accept', 'reject'] : ['reject'];
    const dir = await mkdtemp(join(tmpdir(), 'consent-auditor-banner-'));
    try {
      const out = join(dir, 'maison.json');
      const run = await audit([
        'https://www.o2toit.com/consent/banner-maison.html',
        '--browser',
        kind,
        '--scenario',
        scenarios.join(','),
        '--out',
        out,
        '--host-rules',
        server.hostResolverRules,
        '--ignore-https-errors',
      ]);
      const report = JSON.parse(await readFile(out, 'utf8')) as AuditReport;
      assertValidReport(report);
      expect(report.scenarios.map((s) => s.id)).toEqual(scenarios);
      for (const s of report.scenarios.filter((s) => s.id !== 'none')) {
        expect(run.stderr).toContain(`[${s.id}] consent: ${s.id} made (banner-text)`);
        expect(s.consentAction).toMatchObject({ ok: true, method: 'banner-text' });
        expect(s.decision).toMatchObject({ decision: s.id, timeSource: 'extension-action' });
      }
      // Nothing is sent before a choice. After either, the choice cookie bm_choix is one no source
      // knows; accepting loads gtag, whose _ga (2 years) exceeds 13 months; the refusal's beacon is
      // the violation, after the refusal.
      expect(report.findings.map((f) => [f.id, f.phase]).sort()).toEqual(
        [
          ['cookie-lifetime-exceeds-policy:_ga@o2toit.com:accept', 'after-accept'],
          ['unclassified-cookie:bm_choix@www.o2toit.com:accept', 'after-accept'],
          ['unclassified-cookie:bm_choix@www.o2toit.com:reject', 'after-reject'],
          ['tracking-after-refusal:google-analytics:reject', 'after-reject'],
        ]
          .filter(([id]) => scenarios.some((s) => id!.endsWith(`:${s}`)))
          .sort(),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is found and refused by its words inside an open shadow root too', async () => {
    const page = await openBannerPage(kind, server, 'banner-maison.html?shadow=1');
    try {
      const found = await page.report((r) => !!generic(r));
      expect(generic(found)!.banner!.controls.map((c) => [c.text, c.kind])).toEqual(FIRST_LAYER);
      const tabId = await tabIdOf(page.control, page.url.split('?')[0]!);
      const done = await ask(page.control, { type: 'consent-action', tabId, action: 'reject' });
      expect(done).toMatchObject({ method: 'banner-text', control: 'Continuer sans accepter' });
      expect(await page.evaluate(() => (window as unknown as { __bm: { choice: string } }).__bm.choice)).toBe('refuse');
    } finally {
      await page.close();
    }
  });
});
