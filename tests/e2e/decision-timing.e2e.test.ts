/**
 * Every decision read right, on the home-made banner (consent/banner-maison.html): a real click on
 * "Continuer sans accepter" is the refusal, dated at the click; a popup mark made after a real click
 * on "×" takes that click's time; the GA beacon the page sends right after either lands after the
 * refusal and is cited by tracking-after-refusal. Times carry their date and zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { openBannerPage } from './banner-session';
import { POLL } from './poll';
import { assertValidReport } from './report-helpers';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;
const generic = (r: AuditReport) => r.observations.consent.some((c) => c.banner?.kind === 'generic');
const beaconOf = (r: AuditReport, what: string) =>
  r.observations.requests.find((q) => q.url.includes('google-analytics.com/g/collect') && q.url.includes(`en=${what}`));
const beacons = (page: { evaluate<T>(fn: () => T): Promise<T> }) =>
  page.evaluate(() => (window as unknown as { __bm: { beacons: number } }).__bm.beacons);

/** The offset of the browser's own zone now (seconds after the decision), as ISO 8601 writes it (`+01:00`). */
async function browserOffset(page: { evaluate<T>(fn: () => T): Promise<T> }): Promise<string> {
  const minutes = await page.evaluate(() => -new Date().getTimezoneOffset());
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

describe.each(['chromium', 'firefox'] as const)('decision times in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a real click on "Continuer sans accepter" is the refusal at the click; the beacon after it is tracking after refusal', async () => {
    const page = await openBannerPage(kind, server, 'banner-maison.html');
    try {
      await page.report(generic);
      await page.click('#bo2-sans'); // real input: isTrusted
      expect(await beacons(page)).toBe(1);
      const report = await page.report((r) =>
        r.findings.some((f) => f.id === 'tracking-after-refusal:google-analytics'),
      );
      assertValidReport(report);
      const click = report.observations.consent.find((c) => c.timeSource === 'click' && c.source === 'page-state')!;
      expect(click).toMatchObject({ event: 'decision', decision: 'reject', controlKind: 'refuse', trusted: true });
      expect(click.selector).toContain('Continuer sans accepter');
      const decision = report.scenarios[0]!.decision!;
      expect(decision).toMatchObject({ decision: 'reject', timeSource: 'click' });
      expect(decision.click!.target).toContain('#bo2-sans');
      expect(Date.parse(decision.time)).toBe(click.time);
      // The beacon the click handler sent is after the refusal, and the finding cites it.
      const beacon = beaconOf(report, 'refus')!;
      expect(beacon.phase).toBe('after-reject');
      const finding = report.findings.find((f) => f.id === 'tracking-after-refusal:google-analytics')!;
      expect(finding.phase).toBe('after-reject');
      expect(finding.evidence.map((e) => e.seq)).toContain(beacon.seq);
      expect(report.findings.filter((f) => f.phase === 'before-consent')).toEqual([]);
      // Times carry their date and the browser's zone.
      expect(decision.time).toMatch(ISO_WITH_ZONE);
      expect(decision.time.slice(-6)).toBe(await browserOffset(page));
      expect(report.provenance.startedAt).toMatch(ISO_WITH_ZONE);
      expect(report.provenance.timeZone).toEqual(expect.any(String));
      const popup = await page.popup();
      await expect.poll(() => popup.text('decision'), POLL).toBe('reject');
      expect(await popup.text('decision-time')).toContain(String(new Date(click.time).getFullYear()));
    } finally {
      await page.close();
    }
  });

  it('the popup mark made after a real click on "×" takes the click\'s time, and says which click', async () => {
    const page = await openBannerPage(kind, server, 'banner-maison.html');
    try {
      await page.report(generic);
      await page.click('#bo2-x'); // closes the banner (no decision by itself) and sends the beacon
      expect(await beacons(page)).toBe(1);
      const closed = await page.report((r) => !!beaconOf(r, 'fermeture'));
      const gesture = closed.observations.consent.find((c) => c.event === 'user-gesture' && c.controlKind === 'close')!;
      expect(gesture.inBanner).toBe(true);
      expect(closed.scenarios[0]!.decision).toBeUndefined();
      expect(beaconOf(closed, 'fermeture')!.phase).toBe('before-consent');

      const popup = await page.popup();
      await popup.press('I refused');
      const report = await page.report((r) => r.scenarios[0]?.decision?.timeSource === 'click');
      assertValidReport(report);
      const decision = report.scenarios[0]!.decision!;
      expect(decision).toMatchObject({ decision: 'reject', trusted: true });
      expect(decision.how).toMatch(/auditor's own mark .*dated at the real click on button#bo2-x/);
      expect(Date.parse(decision.time)).toBe(gesture.time);
      expect(decision.click).toEqual({ target: gesture.selector, time: decision.time });
      expect(Date.parse(decision.markedAt!)).toBeGreaterThan(gesture.time);
      expect(beaconOf(report, 'fermeture')!.phase).toBe('after-reject');
      const finding = report.findings.find((f) => f.id === 'tracking-after-refusal:google-analytics')!;
      expect(finding.phase).toBe('after-reject');
      expect(finding.evidence.map((e) => e.seq)).toContain(beaconOf(report, 'fermeture')!.seq);
    } finally {
      await page.close();
    }
  });
});
