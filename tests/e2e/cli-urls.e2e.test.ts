/**
 * `npm run audit -- --urls FILE --concurrency 2` as a user runs it (a real process), on three sites
 * of the fixture: the landing page of www.o2toit.com with its policy file, www.example-boutique.fr
 * (no policy anywhere: the law's baseline) and www.o2toit.com/mentions-legales (the built-in
 * policy; a page without cookies, scripts or third parties). Asserts the reports, the index, the
 * bound on browsers at a time and the exit status, in Chromium and Firefox; then a list with an
 * unreachable site.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Severity } from '../../lib/findings';
import type { AuditReport } from '../../lib/report/types';
import type { ListIndex } from '../../scripts/cli/list-index';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { ROOT } from './harness/paths';
import { audit } from './harness/run-cli';
import { assertValidReport, O2TOIT_LANDING_FINDINGS } from './report-helpers';

const LANDING = 'https://www.o2toit.com/';
const BOUTIQUE = 'https://www.example-boutique.fr/';
const LEGAL = 'https://www.o2toit.com/mentions-legales';

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

/** Counts by severity, from the report's findings themselves. */
const countsOf = (report: AuditReport): Record<Severity, number> => {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  return counts;
};

/** The largest number of scenarios (one browser each) running at once, read from the progress lines. */
function peakBrowsers(stderr: string): number {
  let running = 0;
  let peak = 0;
  for (const line of stderr.split('\n')) {
    if (/\] \[\w[\w-]*\] launching /.test(line)) peak = Math.max(peak, ++running);
    else if (/\] \[\w[\w-]*\] \d+ finding\(s\):/.test(line) || /\] FAILED: /.test(line)) running--;
  }
  return peak;
}

describe('npm run audit -- --urls (scripts/cli/run-list.ts)', () => {
  let server: FixtureServer;
  let dir: string;
  let fixture: string[];

  beforeAll(async () => {
    server = await startFixtureServer();
    dir = await mkdtemp(join(tmpdir(), 'consent-auditor-urls-'));
    fixture = ['--host-rules', server.hostResolverRules, '--ignore-https-errors'];
  });

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('audits three sites two browsers at a time: one report each, an index that agrees, the worst exit status', async () => {
    const list = join(dir, 'sites.txt');
    const policy = join(ROOT, 'policies', 'o2toit.com.json');
    await writeFile(
      list,
      ['# three fixture sites', `${LANDING}\t${policy}`, '', `${BOUTIQUE}   # no policy: the baseline`, LEGAL].join(
        '\n',
      ),
    );
    const out = join(dir, 'out');
    const run = await audit([
      '--urls',
      list,
      '--concurrency',
      '2',
      // Two scenarios a site: six browsers wanted, two sites in progress, two browsers at once in all.
      '--scenario',
      'none,layers',
      '--fail-on',
      'high',
      '--html',
      '--lang',
      'en',
      '--out',
      out,
      ...fixture,
    ]);

    const index = await readJson<ListIndex>(join(out, 'index.json'));
    expect(index.sites.map((s) => [s.line, s.url, s.report])).toEqual([
      [2, LANDING, '1-o2toit.com.json'],
      [4, BOUTIQUE, '2-example-boutique.fr.json'],
      [5, LEGAL, '3-o2toit.com.json'],
    ]);
    const reports: AuditReport[] = [];
    for (const entry of index.sites) {
      const report = await readJson<AuditReport>(join(out, entry.report!));
      assertValidReport(report);
      reports.push(report);
      expect(report.provenance.targetUrl).toBe(entry.url);
      expect(entry.site).toBe(report.provenance.site);
      expect(entry.counts).toEqual(countsOf(report));
      expect(entry.findings).toBe(report.findings.length);
      expect(entry.policy).toMatchObject({ id: report.provenance.policy.id, sha256: report.provenance.policy.sha256 });
      // --fail-on high: 1 when the site has a high finding.
      expect(entry.exitCode).toBe(report.findings.some((f) => f.severity === 'high') ? 1 : 0);
      expect(entry.error).toBeUndefined();
      const page = await readFile(join(out, entry.html!), 'utf8');
      expect(page).toContain('<html lang="en">');
    }
    const [landing, boutique, legal] = reports as [AuditReport, AuditReport, AuditReport];
    // The fixture's ground truth (tests/fixtures/README.md).
    expect(landing.provenance.policy.id).toBe('o2toit.com');
    expect(index.sites[0]!.policy!.file).toBe(policy);
    expect(
      landing.findings
        .filter((f) => f.scenario === 'none')
        .map((f) => f.id)
        .sort(),
    ).toEqual(O2TOIT_LANDING_FINDINGS.map((id) => `${id}:none`).sort());
    expect(boutique.provenance.policy.id).toBe('baseline');
    expect(legal.provenance.policy.id).toBe('o2toit.com');
    expect(legal.findings).toEqual([]);
    expect(index.sites.map((s) => s.exitCode)).toEqual([
      1,
      boutique.findings.some((f) => f.severity === 'high') ? 1 : 0,
      0,
    ]);

    // The command's status is the worst site's; the index says so too.
    const worst = Math.max(...index.sites.map((s) => s.exitCode));
    expect(run.code, run.stderr).toBe(worst);
    expect(index.exitCode).toBe(worst);
    for (const report of reports) expect(report.scenarios.map((s) => s.id)).toEqual(['none', 'layers']);
    // Six scenarios in all, never more than two browsers at once, and two did run side by side.
    expect(peakBrowsers(run.stderr)).toBe(2);
    for (const entry of index.sites) expect(run.stdout).toContain(`${entry.exitCode}  ${entry.url}`);

    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Consent audits of a list of sites');
    for (const [i, entry] of index.sites.entries()) {
      expect(html).toContain(`<tr data-line="${entry.line}" data-exit="${entry.exitCode}">`);
      expect(html).toContain(`<td data-severity="high">${countsOf(reports[i]!).high}</td>`);
      expect(html).toContain(`<a href="${entry.report}">JSON</a>`);
    }
  });

  it('audits the same three sites in Firefox: reports, index counts and the worst exit status agree', async () => {
    const list = join(dir, 'firefox.txt');
    await writeFile(list, `${LANDING} ${join(ROOT, 'policies', 'o2toit.com.json')}\n${BOUTIQUE}\n${LEGAL}\n`);
    const out = join(dir, 'firefox');
    const run = await audit([
      '--urls',
      list,
      '--browser',
      'firefox',
      '--scenario',
      'none',
      '--fail-on',
      'high',
      '--out',
      out,
      ...fixture,
    ]);
    const index = await readJson<ListIndex>(join(out, 'index.json'));
    expect(index.sites.map((s) => s.url)).toEqual([LANDING, BOUTIQUE, LEGAL]);
    const reports: AuditReport[] = [];
    for (const entry of index.sites) {
      const report = await readJson<AuditReport>(join(out, entry.report!));
      assertValidReport(report);
      reports.push(report);
      expect(report.provenance.browser.name).toBe('Firefox');
      expect(entry.counts).toEqual(countsOf(report));
      expect(entry.exitCode).toBe(report.findings.some((f) => f.severity === 'high') ? 1 : 0);
    }
    expect(reports.map((r) => r.provenance.policy.id)).toEqual(['o2toit.com', 'baseline', 'o2toit.com']);
    expect(reports[2]!.findings).toEqual([]);
    expect(index.sites[0]!.exitCode).toBe(1); // the landing page's trackers are high findings
    const worst = Math.max(...index.sites.map((s) => s.exitCode));
    expect(run.code, run.stderr).toBe(worst);
    expect(index.exitCode).toBe(worst);
    expect(peakBrowsers(run.stderr)).toBe(2);
  });

  it('records a site that cannot be audited in the index, audits the others, and exits 2', async () => {
    const list = join(dir, 'failing.txt');
    // An unknown host: the fixture answers 404.
    await writeFile(list, `https://nowhere.o2toit.invalid/\n${LEGAL}\n`);
    const out = join(dir, 'failing');
    const run = await audit(['--urls', list, '--scenario', 'none', '--out', out, '--lang', 'fr', ...fixture]);
    expect(run.code, run.stderr).toBe(2);
    const index = await readJson<ListIndex>(join(out, 'index.json'));
    expect(index.exitCode).toBe(2);
    const [failed, legal] = index.sites;
    expect(failed).toMatchObject({ line: 1, url: 'https://nowhere.o2toit.invalid/', exitCode: 2 });
    expect(failed!.error).toMatch(/^https:\/\/nowhere\.o2toit\.invalid\/ (answered HTTP 404|could not be loaded)/);
    expect(failed!.report).toBeUndefined();
    expect(legal).toMatchObject({ line: 2, url: LEGAL, exitCode: 0, findings: 0 });
    assertValidReport(await readJson(join(out, legal!.report!)));
    const html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('échec');
    expect(run.stderr.trim().split('\n').at(-1)).toBe('audit: 1 of 2 site(s) failed (see the index)');
  });
});
