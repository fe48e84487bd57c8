import { afterAll, beforeAll, describe, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { runScenario } from './consent-scenarios';
import { BANNERS, HOSTILE, specOf } from './consent-expectations';
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
    const spec = specOf(HOSTILE, 'none');
    const result = await runScenario(kind, server, {
      ...spec,
      // Its claims: forged messages, the TCF API, the consent cookie (and the forged cookie writes).
      settled: (r) => spec.settled(r) && (r.scenarios[0]?.untrustedSignals?.length ?? 0) >= 4,
    });
    checkHostileReport(result.report);
  });
});
