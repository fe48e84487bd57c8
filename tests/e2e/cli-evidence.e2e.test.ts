/**
 * `npm run audit` on hostile and leaky pages, as a user runs it (real processes, the built extension,
 * real Chromium, the hermetic fixture):
 * - an absurd `Max-Age=99999999999999` on `_ga` no longer stops the report: it is written, the cookie
 *   is judged (requested "as long as can be", stored 400 days), and the exit status follows the findings;
 * - a `Set-Cookie` for another site's domain is "refused by the browser", never a cookie or a finding;
 * - a `Set-Cookie` for another site's domain is "refused by the browser", never a cookie or a finding;
 * - the GA hit's `cid` (the `_ga` value) appears nowhere in the exported report, unless
 *   `--keep-identifiers` asks for it, and provenance says which mode was used.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { audit } from './harness/run-cli';
import { assertValidReport } from './report-helpers';

describe('npm run audit: evidence that holds', () => {
  let server: FixtureServer;
  let dir: string;
  let fixture: string[];

  beforeAll(async () => {
    server = await startFixtureServer();
    dir = await mkdtemp(join(tmpdir(), 'consent-auditor-cli-evidence-'));
    fixture = ['--host-rules', server.hostResolverRules, '--ignore-https-errors'];
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'a Max-Age of 99999999999999 still gives a report, and the exit follows the findings',
    { timeout: 120_000 },
    async () => {
      const out = join(dir, 'huge.json');
      const run = await audit([
        'https://www.o2toit.com/huge-max-age',
        '--scenario',
        'none',
        '--wait',
        '500',
        '--fail-on',
        'high',
        '--out',
        out,
        ...fixture,
      ]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr.trim().split('\n').at(-1)).toBe('audit: findings at or above high (--fail-on)');
      const report = JSON.parse(await readFile(out, 'utf8')) as AuditReport;
      assertValidReport(report);
      expect(report.errors).toEqual([]);
      const ids = report.findings.map((f) => f.id);
      expect(ids).toContain('cookie-before-consent:_ga@o2toit.com:none');
      const lifetime = report.findings.find((f) => f.id === 'cookie-lifetime-exceeds-policy:_ga@o2toit.com:none');
      const evidence = lifetime?.evidence[0];
      expect(evidence).toMatchObject({ requestedExpiry: '9999-12-31T23:59:59.999Z', judged: 'requested' });
      // Chromium stored it for its 400-day cap.
      expect(Math.round(evidence!.effectiveLifetimeDays!)).toBe(400);
    },
  );

  it(
    'a cookie the browser refused (Domain of another site) is reported as refused, and raises no finding',
    { timeout: 120_000 },
    async () => {
      const out = join(dir, 'refused.json');
      const run = await audit([
        'https://www.o2toit.com/refused-cookie',
        '--scenario',
        'none',
        '--wait',
        '500',
        '--fail-on',
        'high',
        '--out',
        out,
        ...fixture,
      ]);
      // The page sets nothing else: with the refused cookie judged as one, _fbp would be a high finding.
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(await readFile(out, 'utf8')) as AuditReport;
      assertValidReport(report);
      expect(report.findings.filter((f) => f.subject.kind === 'cookie')).toEqual([]);
      expect(report.refusedCookies).toEqual([
        expect.objectContaining({
          name: '_fbp',
          domain: 'example.org',
          via: 'set-cookie-header',
          scenario: 'none',
          why: 'refused by the browser: Domain=example.org does not cover www.o2toit.com: the browser refuses it',
        }),
      ]);
    },
  );

  it(
    "the GA hit's cid is redacted everywhere in the exported report, and kept only when asked",
    { timeout: 180_000 },
    async () => {
      const cids = (): string[] =>
        server.hits
          .filter((h) => h.host === 'region1.google-analytics.com' && h.pathname === '/g/collect')
          .map((h) => new URL(h.url).searchParams.get('cid') ?? '');

      server.clearHits();
      const out = join(dir, 'redacted.json');
      const run = await audit([
        'https://www.o2toit.com/',
        '--scenario',
        'none',
        '--wait',
        '500',
        '--out',
        out,
        ...fixture,
      ]);
      expect(run.code, run.stderr).toBe(0);
      const [cid] = cids();
      expect(cid).toMatch(/^\d+\.\d+$/);
      const text = await readFile(out, 'utf8');
      const report = JSON.parse(text) as AuditReport;
      assertValidReport(report);
      expect(report.provenance.identifiers).toBe('redacted');
      // The raw value nowhere, in any field, encoded or not; the hit itself is still recorded.
      expect(text).not.toContain(cid);
      expect(text).not.toContain(encodeURIComponent(cid!));
      expect(report.observations.requests.some((r) => r.host === 'region1.google-analytics.com')).toBe(true);

      server.clearHits();
      const keptOut = join(dir, 'kept.json');
      const kept = await audit([
        'https://www.o2toit.com/',
        '--scenario',
        'none',
        '--wait',
        '500',
        '--keep-identifiers',
        '--out',
        keptOut,
        ...fixture,
      ]);
      expect(kept.code, kept.stderr).toBe(0);
      const [keptCid] = cids();
      const keptText = await readFile(keptOut, 'utf8');
      expect((JSON.parse(keptText) as AuditReport).provenance.identifiers).toBe('kept');
      expect(keptText).toContain(`cid=${keptCid}`);
    },
  );
});
