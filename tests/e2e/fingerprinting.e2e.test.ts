import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { runScenario } from './consent-scenarios';
import { ROOT } from './harness/paths';

const BASE = 'https://www.o2toit.com/consent/';
const SCRIPT = `${BASE}fingerprint.js`;
/** The families fingerprint.js measures: `for (var i = 0; i < <n>; i++) fonts.push(...)`. */
const FONTS = (() => {
  const js = readFileSync(join(ROOT, 'tests/fixtures/sites/www.o2toit.com/consent/fingerprint.js'), 'utf8');
  const n = /for \(var i = 0; i < (\d+); i\+\+\) fonts\.push/.exec(js)?.[1];
  if (!n) throw new Error('fingerprint.js no longer measures fonts in a counted loop');
  return Number(n);
})();

/** The page's own account of what the browser let it do, from its final request's query. */
const doneOf = (report: AuditReport, path: string) => {
  const r = report.observations.requests.find((q) => q.url.startsWith(`${BASE}${path}?`));
  return r ? Object.fromEntries(new URL(r.url).searchParams) : undefined;
};
const stored = (report: AuditReport, key: string) =>
  report.observations.storage.some((s) => s.key === key && s.action === 'set');

/** Canvas, WebGL, audio and font probes are flagged with their script; a chart is not, in both browsers. */
describe.each(['chromium', 'firefox'] as const)('fingerprinting in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('flags a fingerprinting script before consent, with its URL as evidence', async () => {
    const { report } = await runScenario(kind, server, {
      page: 'fingerprint.html',
      action: 'none',
      // The hook's channel is ordered: the last write is in, so every probe before it is too.
      ready: (r) => stored(r, 'o2_fp_done') && !!doneOf(r, 'fingerprint-done'),
      settled: () => true,
    });
    const facts = doneOf(report, 'fingerprint-done')!;
    // The wrappers are invisible to the script and did not change what it got.
    expect(facts).toMatchObject({ png: '1', native: '1', throws: '1', fonts: String(FONTS) });
    const expected = [
      'canvas',
      'fonts',
      ...(facts.webgl === '1' ? ['webgl'] : []),
      ...(facts.audio === '1' ? ['audio'] : []),
    ];
    const probes = report.observations.fingerprinting ?? [];
    expect(probes.map((p) => p.technique).sort()).toEqual(expected.sort());
    for (const p of probes) expect(p.initiator).toBe(SCRIPT);
    expect(probes.find((p) => p.technique === 'fonts')?.detail).toContain('50 distinct font families');
    const f = report.findings.find((x) => x.id === `fingerprinting-before-consent:${SCRIPT}`);
    expect(f, JSON.stringify(report.findings.map((x) => x.id))).toBeDefined();
    expect(f!.phase).toBe('before-consent');
    expect(f!.legalRefs.map((r) => r.source).join(' ')).toContain('Guidelines 2/2023');
    expect(f!.evidence.map((e) => e.initiator)).toEqual(expected.map(() => SCRIPT));
    expect(f!.evidence.map((e) => e.name).sort()).toEqual(expected.sort());
  });

  it('does not flag a bar chart, its JPEG export, its save/restore pixels or a small swatch', async () => {
    const { report } = await runScenario(kind, server, {
      page: 'chart.html',
      action: 'none',
      ready: (r) => stored(r, 'o2_chart_done') && !!doneOf(r, 'chart-done'),
      settled: () => true,
    });
    // The chart did read back three times (JPEG, getImageData, the 12×12 swatch)...
    expect(doneOf(report, 'chart-done')).toEqual({ readbacks: '3' });
    // ...and none of them is fingerprinting.
    expect(report.observations.fingerprinting ?? []).toEqual([]);
    expect(report.findings.filter((x) => x.rule === 'fingerprinting-before-consent')).toEqual([]);
  });
});
