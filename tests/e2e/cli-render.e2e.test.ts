/**
 * `npm run render` as a user runs it, on a saved report: the HTML and CSV it writes are the
 * extension's own renderings of that JSON (review marks included), and a file that is not a report
 * is refused with exit code 2 and a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cookiesCsv, findingsCsv, renderHtml } from '../../lib/render';
import type { AuditReport } from '../../lib/report/types';
import { parseCsv } from '../unit/csv-parse';
import { richReport } from '../unit/render-fixture';
import { ROOT } from './harness/paths';
import { audit } from './harness/run-cli';
import { startFixtureServer } from '../../scripts/fixture-server/server';
import { O2TOIT_LANDING_FINDINGS } from './report-helpers';

function render(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'render', '--', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run render', () => {
  let dir: string;
  let report: AuditReport;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'consent-auditor-render-'));
    report = richReport();
    const marked = report.findings[2]!;
    report.reviews = {
      [marked.id]: { status: 'confirmed', note: 'vu en production', reviewer: 'Léa', at: '2026-03-10T10:00:00.000Z' },
    };
    file = join(dir, 'saved.json');
    await writeFile(file, JSON.stringify(report, null, 2));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders a saved report to HTML and CSV, as the extension renders it, marks included', async () => {
    const html = join(dir, 'out', 'report.html');
    const a = await render([file, '--format', 'html', '--lang', 'fr', '--out', html]);
    expect(a).toMatchObject({ code: 0, stdout: '' });
    const written = await readFile(html, 'utf8');
    expect(written).toBe(renderHtml(report, 'fr'));
    expect(written).toContain('data-review="confirmed"');

    const b = await render([file, '--format', 'csv', '--lang', 'en', '--out', join(dir, 'csv')]);
    expect(b.code).toBe(0);
    const findings = await readFile(join(dir, 'csv', 'findings.csv'), 'utf8');
    expect(findings).toBe(findingsCsv(report, 'en'));
    const rows = parseCsv(findings).slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(report.findings.map((f) => f.id).sort());
    expect(rows.filter((r) => r[13] === 'confirmed').map((r) => r[0])).toEqual(Object.keys(report.reviews!));
    expect(await readFile(join(dir, 'csv', 'cookies.csv'), 'utf8')).toBe(cookiesCsv(report, 'en'));

    const c = await render([file, '--format', 'html', '--lang', 'en']);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe(renderHtml(report, 'en'));
  }, 60_000);

  it('refuses a file that is not a report, with exit code 2 and the reason', async () => {
    const bad = join(dir, 'bad.json');
    const broken = structuredClone(report) as unknown as { findings: Array<{ severity: string }> };
    broken.findings[0]!.severity = 'catastrophic';
    await writeFile(bad, JSON.stringify(broken));
    const a = await render([bad, '--format', 'html']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(
      /^render: .*bad\.json is not a Consent Auditor report .*\/findings\/0\/severity must be equal to one of the allowed values/m,
    );
    await writeFile(bad, '{"schemaVersion": 1,\n}');
    expect(await render([bad, '--format', 'csv', '--out', dir])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/is not JSON \(line 2, column 1\)/),
    });
    expect(await render([file, '--format', 'pdf'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--format must be html or csv/),
    });
    expect(await render([file, '--format', 'csv'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/needs --out DIR/),
    });
  }, 60_000);

  it('npm run audit -- --html FILE --csv DIR writes the renderings of the report it writes', async () => {
    const server = await startFixtureServer();
    try {
      const out = join(dir, 'audit', 'report.json');
      const html = join(dir, 'audit', 'report.html');
      const csv = join(dir, 'audit', 'csv');
      const run = await audit([
        'https://www.o2toit.com/',
        '--scenario',
        'none',
        '--wait',
        '1000',
        '--out',
        out,
        '--html',
        html,
        '--csv',
        csv,
        '--host-rules',
        server.hostResolverRules,
        '--ignore-https-errors',
      ]);
      expect(run.code, run.stderr).toBe(0);
      const saved = JSON.parse(await readFile(out, 'utf8')) as AuditReport;
      expect(await readFile(html, 'utf8')).toBe(renderHtml(saved, 'fr'));
      const rows = parseCsv(await readFile(join(csv, 'findings.csv'), 'utf8')).slice(1);
      // The landing findings of the fixture, in the `none` scenario.
      expect(rows.map((r) => r[0]).sort()).toEqual(O2TOIT_LANDING_FINDINGS.map((id) => `${id}:none`).sort());
      expect(await readFile(join(csv, 'cookies.csv'), 'utf8')).toBe(cookiesCsv(saved, 'fr'));
    } finally {
      await server.close();
    }
  }, 120_000);
});
