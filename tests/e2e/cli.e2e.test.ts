/**
 * `npm run audit` as a user runs it: real processes (`npx tsx scripts/audit.ts ...`) driving the built
 * extension in real browsers against the hermetic fixture site, through --host-rules. Asserts the
 * written report, stdout, stderr and the exit status.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { ROOT } from './harness/paths';
import { audit, type Run } from './harness/run-cli';
import { assertValidReport, O2TOIT_LANDING_FINDINGS } from './report-helpers';

const SITE = 'https://www.o2toit.com/';

/** The last stderr line: the one-line reason of a non-zero exit. */
const reason = (run: Run): string => run.stderr.trim().split('\n').at(-1) ?? '';

const readReport = async (path: string): Promise<AuditReport> =>
  JSON.parse(await readFile(path, 'utf8')) as AuditReport;

describe('npm run audit (scripts/audit.ts)', () => {
  let server: FixtureServer;
  let dir: string;
  let fixture: string[];

  beforeAll(async () => {
    server = await startFixtureServer();
    dir = await mkdtemp(join(tmpdir(), 'consent-auditor-cli-'));
    fixture = ['--host-rules', server.hostResolverRules, '--ignore-https-errors'];
  });

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('plays every scenario with the extension, follows --pages 1 to /contact, and exits 1 under --fail-on high', async () => {
    const out = join(dir, 'all.json');
    // The landing page's homemade banner is unknown to autoconsent: the auditor's selectors click it.
    const run = await audit([
      SITE,
      '--pages',
      '1',
      '--accept-selector',
      '#o2-accept',
      '--reject-selector',
      '#o2-refuse',
      '--fail-on',
      'high',
      '--out',
      out,
      ...fixture,
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(reason(run)).toBe('audit: findings at or above high (--fail-on)');
    for (const scenario of ['none', 'accept', 'reject']) {
      expect(run.stderr).toContain(`[${scenario}] page 1/2 ${SITE}: `);
      expect(run.stderr).toContain(`[${scenario}] page 2/2 ${SITE}contact: `);
    }
    // The method comes first; the platform (here the shape the banner was found by) may follow it.
    expect(run.stderr).toMatch(/\[accept\] consent: accept made \(selector[,)]/);
    expect(server.hits.filter((h) => h.host === 'www.o2toit.com' && h.pathname === '/contact')).toHaveLength(3);
    expect(server.hits.some((h) => h.pathname === '/mentions-legales')).toBe(false); // only N links

    const report = await readReport(out);
    assertValidReport(report);
    const ids = (scenario: string) =>
      report.findings
        .filter((f) => f.scenario === scenario)
        .map((f) => f.id)
        .sort();
    const suffixed = (scenario: string, extra: string[] = []) =>
      [...O2TOIT_LANDING_FINDINGS, ...extra].map((id) => `${id}:${scenario}`).sort();
    expect(ids('none')).toEqual(suffixed('none'));
    expect(ids('accept')).toEqual(suffixed('accept', ['unclassified-cookie:o2_consent@www.o2toit.com']));
    // After the refusal the banner still reports the choice to Google Analytics.
    expect(ids('reject')).toEqual(
      expect.arrayContaining(suffixed('reject', ['tracking-after-refusal:google-analytics'])),
    );
    const refused = report.findings.find((f) => f.id === 'tracking-after-refusal:google-analytics:reject')!;
    const beacon = refused.evidence.find(
      (e) =>
        e.url === 'https://region1.google-analytics.com/g/collect?v=2&tid=G-FIXTURE1&en=cookie_choice&ep.choice=reject',
    );
    expect(beacon).toMatchObject({ kind: 'request', phase: 'after-reject', scenario: 'reject' });
    for (const f of report.findings) for (const e of f.evidence) expect(e.scenario).toBe(f.scenario);
    const observations = Object.values(report.observations).flat();
    expect(new Set(observations.map((o) => o.scenario))).toEqual(new Set(['none', 'accept', 'reject']));
    expect(report.summary.findings).toBe(report.findings.length);

    const pages = [SITE, `${SITE}contact`];
    expect(report.scenarios.map((s) => [s.id, s.pages, s.decision?.decision, s.decision?.trusted])).toEqual([
      ['none', pages, undefined, undefined],
      ['accept', pages, 'accept', true],
      ['reject', pages, 'reject', true],
    ]);
    expect(report.scenarios[0]!.consentAction).toBeUndefined();
    // The landing page's home-made banner is also found by its shape; whether that came before the
    // click depends on when the shape scan ran, so the platform may or may not be named.
    const actionOf = (i: number) => {
      const { platform, ...rest } = report.scenarios[i]!.consentAction!;
      expect([undefined, 'banner found by its shape']).toContain(platform);
      return rest;
    };
    expect(actionOf(1)).toEqual({ action: 'accept', ok: true, method: 'selector', selector: '#o2-accept' });
    expect(actionOf(2)).toEqual({ action: 'reject', ok: true, method: 'selector', selector: '#o2-refuse' });
    expect(report.provenance).toMatchObject({
      tool: { name: 'Consent Auditor' },
      browser: { name: 'Chromium', thirdPartyCookies: 'allowed' },
      targetUrl: SITE,
      site: 'o2toit.com',
      policy: { id: 'o2toit.com' },
    });
    expect(report.provenance.policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.provenance.browser.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(report.provenance.notes.join('\n')).toMatch(/Scripted audit.*--scenario none,accept,reject /);

    // stdout: the findings table (one column per scenario), then the report path.
    expect(run.stdout).toMatch(/high\s+recaptcha-before-consent\s+Google reCAPTCHA\s+x\s+x\s+x/);
    expect(run.stdout).toMatch(/high\s+tracking-after-refusal\s+Google Analytics.*-\s+-\s+x/);
    expect(run.stdout).toMatch(/decision\s+none\s+accepted\s+rejected/);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(`Report: ${out}`);
  });

  it('lets autoconsent make the choice on a banner it knows (tarteaucitron), each scenario in its own profile', async () => {
    const page = `${SITE}consent/tarteaucitron-deny.html`;
    const out = join(dir, 'tarteaucitron.json');
    const run = await audit([page, '--wait', '1000', '--fail-on', 'high', '--out', out, ...fixture]);
    expect(run.code, run.stderr).toBe(0);
    const report = await readReport(out);
    assertValidReport(report);
    // What the page does after each choice is the extension's consent suite's business; here: the
    // clean runs stay clean, and each scenario's choice was made by autoconsent and seen by the audit.
    expect(report.findings.filter((f) => f.scenario !== 'accept')).toEqual([]);
    expect(report.scenarios.map((s) => s.decision?.decision)).toEqual([undefined, 'accept', 'reject']);
    for (const s of report.scenarios.slice(1)) {
      expect(s.consentAction).toMatchObject({
        ok: true,
        method: 'autoconsent',
        platform: expect.stringMatching(/tarteaucitron/),
      });
    }
    expect(run.stderr).toMatch(/\[reject\] consent: reject made \(autoconsent, tarteaucitron/);
    // The page obeyed: analytics only after the accept, nothing after the refusal.
    const google = (scenario: string) =>
      report.observations.requests.filter((q) => q.scenario === scenario && q.host.endsWith('google-analytics.com'));
    expect(google('accept').length).toBeGreaterThan(0);
    expect(google('accept').every((q) => q.phase === 'after-accept')).toBe(true);
    expect(google('reject')).toEqual([]);
    expect(google('none')).toEqual([]);
  });

  it('exits 0 under --fail-on when no finding qualifies, and writes reports/<site>-<timestamp>.json by default', async () => {
    const run = await audit([
      `${SITE}mentions-legales`,
      '--scenario',
      'none',
      '--wait',
      '500',
      '--fail-on',
      'low',
      ...fixture,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const path = /^Report: (reports\/o2toit\.com-\d{8}T\d{6}Z\.json)$/m.exec(run.stdout)?.[1];
    expect(path, run.stdout).toBeDefined();
    const report = await readReport(join(ROOT, path!));
    await rm(join(ROOT, path!));
    assertValidReport(report);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ findings: 0, bySeverity: { high: 0, medium: 0, low: 0, info: 0 }, byRule: {} });
    expect(run.stdout).toContain('(no findings)');
  });

  it('records a consent choice that could not be made, writes the report, and exits 2 with the reason', async () => {
    const out = join(dir, 'reject.json');
    const run = await audit([
      `${SITE}mentions-legales`,
      '--scenario',
      'reject',
      '--wait',
      '500',
      '--out',
      out,
      ...fixture,
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(reason(run)).toMatch(/^audit: scenario reject: the reject choice failed: \S.*$/);
    const report = await readReport(out);
    assertValidReport(report);
    expect(report.scenarios).toHaveLength(1);
    expect(report.scenarios[0]).toMatchObject({
      id: 'reject',
      consentAction: { action: 'reject', ok: false, error: expect.any(String) },
    });
    expect(report.scenarios[0]!.decision).toBeUndefined();
    expect(run.stdout).toMatch(/decision\s+FAILED/);
  });

  it('exits 2, not 1, when a choice fails on a page whose findings are at or above --fail-on', async () => {
    const out = join(dir, 'fail-wins.json');
    const run = await audit([
      SITE,
      '--scenario',
      'reject',
      '--reject-selector',
      '#no-such-button',
      '--wait',
      '500',
      '--fail-on',
      'low',
      '--out',
      out,
      ...fixture,
    ]);
    const report = await readReport(out);
    assertValidReport(report);
    // The landing page's findings qualify under --fail-on low (exit 1 on their own)...
    expect(report.findings.filter((f) => f.severity !== 'info').map((f) => f.id.replace(/:reject$/, ''))).toEqual(
      expect.arrayContaining(O2TOIT_LANDING_FINDINGS.filter((id) => !id.startsWith('unclassified-cookie:'))),
    );
    // ...but the failed choice wins: exit 2, with its reason.
    expect(run.code, run.stderr).toBe(2);
    expect(reason(run)).toMatch(/^audit: scenario reject: the reject choice failed: \S.*$/);
    expect(run.stderr).not.toContain('(--fail-on)');
  });

  it('exits 2 with a one-line reason on a bad option, before any browser starts', async () => {
    const run = await audit([SITE, '--scenario', 'maybe']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'audit: --scenario must be all or one or more (comma-separated) of none, accept, reject, revisit-accept, revisit-reject, withdrawal, layers; got "maybe"',
    );
    expect(run.stdout).toBe('');
    const unknown = await audit([SITE, '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('audit: unknown option --bogus (see --help)');
  });

  it('exits 2 naming the line when --policy is malformed', async () => {
    const policy = join(dir, 'broken-policy.json');
    await writeFile(policy, '{\n  "id": "o2toit.com",\n  "sites": ["o2toit.com",]\n}\n');
    const run = await audit([SITE, '--policy', policy, ...fixture]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(reason(run)).toMatch(new RegExp(`^audit: --policy ${policy}: line 3, column \\d+: invalid JSON`));
    // Valid JSON, wrong field: the line and the JSON path.
    const policyText = await readFile(join(ROOT, 'policies/o2toit.com.json'), 'utf8');
    const wrong = join(dir, 'wrong-field.json');
    await writeFile(wrong, policyText.replace(/"months": 13/, '"months": "treize"'));
    const line = policyText.slice(0, policyText.indexOf('"months": 13')).split('\n').length;
    const field = await audit([SITE, '--policy', wrong, ...fixture]);
    expect(field.code).toBe(2);
    expect(reason(field)).toBe(
      `audit: --policy ${wrong}: line ${line}, /maxCookieLifetime/months: must be integer, got string`,
    );
    const missing = await audit([SITE, '--policy', join(dir, 'nope.json'), ...fixture]);
    expect(missing.code).toBe(2);
    expect(reason(missing)).toBe(`audit: --policy ${join(dir, 'nope.json')}: cannot read it (ENOENT)`);
  });

  it('imports --policy into the extension, which audits with it (version and sha256 in provenance)', async () => {
    const policy = JSON.parse(await readFile(join(ROOT, 'policies/o2toit.com.json'), 'utf8')) as { version: string };
    policy.version = '2099-01-01-cli-test';
    const file = join(dir, 'o2toit-next.json');
    const text = `${JSON.stringify(policy, null, 2)}\n`;
    await writeFile(file, text);
    const out = join(dir, 'policy.json');
    const run = await audit([SITE, '--scenario', 'none', '--wait', '500', '--policy', file, '--out', out, ...fixture]);
    expect(run.code, run.stderr).toBe(0);
    const report = await readReport(out);
    assertValidReport(report);
    expect(report.provenance.policy).toMatchObject({
      id: 'o2toit.com',
      version: '2099-01-01-cli-test',
      sha256: createHash('sha256').update(text).digest('hex'),
    });
    expect(report.provenance.notes.join('\n')).toContain(`--policy ${file}`);

    const elsewhere = await audit(['https://www.google.com/', '--policy', file, ...fixture]);
    expect(elsewhere.code).toBe(2);
    expect(reason(elsewhere)).toBe(
      `audit: --policy ${file} (o2toit.com) does not cover google.com; it covers o2toit.com`,
    );
  });

  it('exits 2 when the host is unreachable, or has no declared policy, writing no report', async () => {
    const out = join(dir, 'unreachable.json');
    const run = await audit([
      SITE,
      '--scenario',
      'none',
      '--out',
      out,
      '--host-rules',
      'MAP www.o2toit.com:443 127.0.0.1:1, MAP * ~NOTFOUND',
    ]);
    expect(run.code).toBe(2);
    expect(reason(run)).toMatch(/^audit: https:\/\/www\.o2toit\.com\/ could not be loaded: .*ERR_CONNECTION_REFUSED/);
    expect(existsSync(out)).toBe(false);
    const other = await audit(['https://www.google.com/', '--scenario', 'none', '--out', out, ...fixture]);
    expect(other.code).toBe(2);
    expect(reason(other)).toBe(
      'audit: no declared policy covers google.com (built in: o2toit.com); pass --policy FILE',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('audits scenario none in Firefox, with --host-rules applied by the local proxy', async () => {
    const out = join(dir, 'firefox.json');
    const run = await audit([SITE, '--browser', 'firefox', '--scenario', 'none', '--out', out, ...fixture]);
    expect(run.code, run.stderr).toBe(0);
    const report = await readReport(out);
    assertValidReport(report);
    expect(report.findings.map((f) => f.id).sort()).toEqual(O2TOIT_LANDING_FINDINGS.map((id) => `${id}:none`).sort());
    expect(report.provenance.browser).toMatchObject({
      name: 'Firefox',
      thirdPartyCookies: expect.stringMatching(/^partitioned/),
    });
    expect(report.scenarios.map((s) => s.id)).toEqual(['none']);
  });
});
