/**
 * Looking like a visitor: the fixture's bot-shy banner (consent/bot-shy.html) is never shown to a
 * browser whose `navigator.webdriver` is true or whose user agent names a robot or headless
 * browser, as vanilla-cookieconsent does by default. `npm run audit` must find and drive it in both
 * browsers, with exactly custom.html's findings (the same page otherwise), and the report's
 * provenance must say what the site saw.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { BANNERS, expectedFindings } from './consent-expectations';
import { audit } from './harness/run-cli';
import { assertValidReport } from './report-helpers';

const PAGE = 'https://www.o2toit.com/consent/bot-shy.html';
const BOT_SHY = { ...BANNERS.find((b) => b.page === 'custom.html')!, page: 'bot-shy.html' };

describe('npm run audit presents as a visitor', () => {
  let server: FixtureServer;
  let dir: string;

  beforeAll(async () => {
    server = await startFixtureServer();
    dir = await mkdtemp(join(tmpdir(), 'consent-auditor-visitor-'));
  });

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const browser of ['chromium', 'firefox'] as const) {
    it(`${browser}: finds and refuses the banner that hides from bots, and records what the site saw`, async () => {
      const out = join(dir, `${browser}.json`);
      const run = await audit([
        PAGE,
        '--browser',
        browser,
        '--scenario',
        'reject',
        '--reject-selector',
        '#cc-refuse',
        '--wait',
        '500',
        '--out',
        out,
        '--host-rules',
        server.hostResolverRules,
        '--ignore-https-errors',
      ]);
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(await readFile(out, 'utf8')) as AuditReport;
      assertValidReport(report);
      expect(report.scenarios[0]).toMatchObject({
        id: 'reject',
        consentAction: { action: 'reject', ok: true },
        decision: { decision: 'reject', trusted: true },
      });
      const findings = report.findings
        .map((f) => ({ id: f.id.replace(/:reject$/, ''), rule: f.rule, subject: f.subject.key, phase: f.phase }))
        .sort((a, b) => a.id.localeCompare(b.id));
      expect(findings).toEqual(expectedFindings(BOT_SHY, 'reject'));
      const visitor = report.provenance.browser.visitor!;
      expect(visitor).toMatchObject({ webdriver: false, timezone: 'Europe/Paris', window: expect.any(String) });
      expect(visitor.languages[0]).toBe('fr-FR');
      expect(visitor.userAgent).not.toMatch(/headless|bot/i);
    });
  }
});
