import { afterAll, beforeAll, describe, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { runScenario } from './consent-scenarios';
import { BANNERS, specOf } from './consent-expectations';
import { checkConsentRun, checkHostileReport } from './consent-checks';

/** Each fixture banner in three runs (no action, accept, refuse), and a hostile page, in both browsers. */
describe.each(['chromium', 'firefox'] as const)('consent banners, decisions and phases in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const banner of BANNERS) {
    for (const action of ['none', 'accept', 'reject'] as const) {
      it(`${banner.page}: ${action}`, async () => {
        const result = await runScenario(kind, server, specOf(banner, action));
        checkConsentRun(result, banner, action);
      });
    }
  }

  it('a hostile page cannot forge consent: its claims are listed as untrusted and its trackers stay before consent', async () => {
    const result = await runScenario(kind, server, {
      page: 'hostile.html',
      action: 'none',
      ready: (r) => r.observations.requests.some((q) => q.url.includes('facebook.com/tr')),
      settled: (r) =>
        (r.scenarios[0]?.untrustedSignals?.length ?? 0) >= 4 &&
        r.findings.some((f) => f.id === 'cookie-before-consent:_ga@o2toit.com'),
    });
    checkHostileReport(result.report);
  });
});
