import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { runScenario } from './consent-scenarios';

const HIT = 'https://www.o2toit.com/b/ss/o2toitprod/1/';
const hit = (r: AuditReport) => r.observations.requests.find((q) => q.url.startsWith(HIT));

/**
 * A tracker behind a first-party name: an Adobe Analytics hit to the site's own host is Adobe's,
 * by the known cloaking set-up's request shape (the path that needs no DNS answer, as in Chromium).
 */
describe.each(['chromium', 'firefox'] as const)('first-party tracking server in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('attributes the hit on the site host to Adobe Analytics, before consent', async () => {
    const { report } = await runScenario(kind, server, {
      page: 'first-party-tracker.html',
      action: 'none',
      ready: (r) => !!hit(r),
      settled: () => true,
    });
    expect(server.hits.some((h) => h.host === 'www.o2toit.com' && h.path.startsWith('/b/ss/o2toitprod/1/'))).toBe(true);
    expect(hit(report)!.thirdParty).toBe(false);
    const f = report.findings.find((x) => x.id === 'tracker-before-consent:adobe-analytics');
    expect(f, JSON.stringify(report.findings.map((x) => x.id))).toBeDefined();
    expect(f!.phase).toBe('before-consent');
    expect(f!.classifiedBy).toMatchObject({
      vendorId: 'adobe-analytics',
      matchedBy: 'cloaking-shape: Adobe Analytics /b/ss/ hit on a first-party host (www.o2toit.com)',
    });
    expect(f!.evidence.map((e) => e.url)).toEqual([hit(report)!.url]);
  });
});
