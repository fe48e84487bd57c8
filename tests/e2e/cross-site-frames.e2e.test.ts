import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { has, runScenario } from './consent-scenarios';
import { launchChromium } from './harness/chromium';
import { POLL } from './poll';

/** The fixture's frames (tests/fixtures/sites/www.o2toit.com/consent/frames.html). */
const VIDEO = 'https://www.youtube-nocookie.com/embed/frames';
const CHAT = 'https://client.crisp.chat/frame/chat.html';
const CMP = 'https://static.axept.io/frame/banner.html';
const origin = (url: string) => new URL(url).origin;

const storageOf = (r: AuditReport, key: string) => r.observations.storage.filter((s) => s.key === key);
const written = (key: string) => (r: AuditReport) => storageOf(r, key).some((s) => s.action === 'set');
const bannerInFrame = (r: AuditReport) =>
  r.observations.consent.some((c) => c.event === 'banner-shown' && c.frameId > 0 && c.url.startsWith(origin(CMP)));
const ready = has.all(written('yt-remote-device-id'), written('crisp-client/session/frames'), bannerInFrame);

/**
 * Cross-site frames of an audited tab: their storage is recorded with the frame's URL, origin and
 * frameId, attributed to the frame's vendor (not the top site), and a banner served in a frame is
 * found and driven, in both browsers.
 */
describe.each(['chromium', 'firefox'] as const)('cross-site frames in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('records what each frame stores, by the hook, under its own origin and frame, and names its vendor', async () => {
    const { report } = await runScenario(kind, server, {
      page: 'frames.html',
      action: 'none',
      ready: has.all(ready, (r) => storageOf(r, 'YtIdbMeta').length > 0),
      settled: () => true,
    });
    for (const [key, frame] of [
      ['yt-remote-device-id', VIDEO],
      ['YtIdbMeta', VIDEO],
      ['crisp-client/session/frames', CHAT],
    ] as const) {
      const seen = storageOf(report, key);
      expect(seen.length, key).toBeGreaterThan(0);
      for (const s of seen) {
        expect(s.origin, key).toBe(origin(frame));
        expect(s.url.startsWith(frame), key).toBe(true);
        expect(s.frameId, key).toBeGreaterThan(0);
        expect(s.topSite).toBe('o2toit.com');
        expect(s.phase).toBe('before-consent');
      }
      // Firefox holds the frame's request until the hook is registered: the write itself is seen.
      // Chromium cannot hold it; a frame that loaded first gets the scripts late, and the relay's
      // first reading finds what it stored (docs/architecture.md, "Frames of other sites").
      const bySource = seen.map((s) =>
        s.source === 'page-hook' ? 'hook' : s.seenBy === 'snapshot' ? 'snapshot' : s.source,
      );
      if (kind === 'firefox') expect(bySource, key).toContain('hook');
      else
        expect(
          bySource.some((b) => b === 'hook' || b === 'snapshot'),
          key,
        ).toBe(true);
    }
    // Each frame's document is a request of the audited tab, in the frame, and YouTube's is a tracker's.
    for (const frame of [VIDEO, CHAT, CMP]) {
      const r = report.observations.requests.find((q) => q.url === frame);
      expect(r?.type, frame).toBe('sub_frame');
      expect(r!.frameId, frame).toBeGreaterThan(0);
    }
    const tracker = report.findings.find((f) => f.id === 'tracker-before-consent:youtube');
    expect(tracker?.evidence.map((e) => e.url)).toContain(VIDEO);
    // The chat frame's partitioned cookie: stored in the audited site's partition, named by its vendor.
    const cookies = report.observations.cookies.filter((c) => c.name === 'crisp-client%2Fsession%2Fframes');
    const stored = cookies.find((c) => c.via === 'cookies-api');
    expect(stored, JSON.stringify(cookies)).toBeDefined();
    expect(stored!.domain).toBe('client.crisp.chat');
    expect(stored!.partitionKey ?? '', JSON.stringify(stored)).toContain('o2toit.com');
    const cookieFinding = report.findings.find(
      (f) => f.id === 'cookie-before-consent:crisp-client%2Fsession%2Fframes@client.crisp.chat',
    );
    expect(cookieFinding, JSON.stringify(report.findings.map((f) => f.id))).toBeDefined();
    expect(cookieFinding!.classifiedBy?.vendorName).toBe('Crisp');
    expect(storageOf(report, 'YtIdbMeta').map((s) => s.area)).toContain('indexedDB');
    const findings = report.findings.filter((f) => f.rule === 'storage-before-consent');
    const video = findings.find((f) => f.id === `storage-before-consent:yt-remote-device-id@${origin(VIDEO)}`);
    expect(video, JSON.stringify(findings.map((f) => f.id))).toBeDefined();
    expect(video!.classifiedBy?.vendorName).toBe('YouTube');
    expect(video!.evidence.map((e) => e.url?.startsWith(VIDEO))).toEqual(video!.evidence.map(() => true));
    const chat = findings.find((f) => f.id === `storage-before-consent:crisp-client/session/frames@${origin(CHAT)}`);
    expect(chat, JSON.stringify(findings.map((f) => f.id))).toBeDefined();
    expect(chat!.classifiedBy?.vendorName).toBe('Crisp');
    // The page itself stores nothing: every storage finding is a frame's.
    for (const f of findings) expect(f.evidence.every((e) => e.domain !== 'https://www.o2toit.com')).toBe(true);
  });

  for (const action of ['accept', 'reject'] as const) {
    it(`finds the banner served in a cross-site frame and drives it: ${action}`, async () => {
      const { report, action: done } = await runScenario(kind, server, {
        page: 'frames.html',
        action,
        ready,
        settled: has.all(
          (r) => r.observations.consent.some((c) => c.event === 'decision' && c.decision === action),
          action === 'accept' ? has.request('/g/collect') : () => true,
        ),
      });
      expect(done?.ok).toBe(true);
      const banner = report.observations.consent.find((c) => c.event === 'banner-shown' && c.frameId > 0);
      expect(banner?.url.startsWith(CMP)).toBe(true);
      // The choice was made in the banner's frame, and the frame's answer reached the page.
      const decision = report.observations.consent.find((c) => c.event === 'decision' && c.decision === action);
      expect(decision?.frameId).toBe(banner!.frameId);
      expect(decision?.how).toContain('found by its words');
      const gtag = report.observations.requests.filter((q) => q.url.includes('googletagmanager.com/gtag/js'));
      if (action === 'accept') expect(gtag.map((q) => q.phase)).toEqual(['after-accept']);
      else expect(gtag).toEqual([]);
    });
  }
});

/** The frame scripts exist only while an audit frames their hosts (Chromium; the code is the same in Firefox). */
describe('frame registrations outside audits', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('registers the frame hosts while the audit runs, and drops them when its tab closes', async () => {
    const harness = await launchChromium({ server });
    try {
      const control = await harness.openExtensionPage('popup.html');
      await harness.waitForExtensionReady(control);
      const frameMatches = () =>
        control.evaluate(async () => {
          type Registered = Array<{ id: string; matches?: string[] }>;
          const api = globalThis as unknown as {
            chrome: { scripting: { getRegisteredContentScripts(): Promise<Registered> } };
          };
          return (await api.chrome.scripting.getRegisteredContentScripts())
            .filter((s) => s.id.startsWith('consent-auditor-frame-'))
            .map((s) => [...(s.matches ?? [])].sort());
        });
      // The same frames on a site no policy covers: no audit, so no registration.
      const plain = await harness.context.newPage();
      await plain.goto('https://www.google.com/bench/frames.html', { waitUntil: 'load' });
      expect(await frameMatches()).toEqual([]);
      const page = await harness.context.newPage();
      await page.goto('https://www.o2toit.com/consent/frames.html', { waitUntil: 'load' });
      const hosts = [VIDEO, CHAT, CMP].map((u) => `*://${new URL(u).host}/*`).sort();
      await expect.poll(frameMatches, POLL).toEqual([hosts, hosts, hosts]);
      await page.close();
      await expect.poll(frameMatches, POLL).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
