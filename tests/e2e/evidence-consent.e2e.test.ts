import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { openEvidencePage } from './evidence-session';

/** refuse-then-forged-accept.html: messages it posts imitating our page channel, and the oversized one. */
const FORGED = 30;
const OVERSIZED = 1;

const forgedAccept = (r: AuditReport) =>
  r.scenarios[0]?.untrustedSignals?.find((s) => s.decision === 'accept' && /useractioncomplete/.test(s.how));

/**
 * Consent that cannot be forged: a real click on "Tout refuser", followed at once by the page's own
 * TCF "useractioncomplete" claiming every purpose consented, never yields an acceptance. Messages
 * the page posts on our channel are rejected and counted.
 */
describe.each(['chromium', 'firefox'] as const)('forged consent in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a real refusal does not corroborate a forged TCF acceptance; forged channel messages are counted', async () => {
    const page = await openEvidencePage(kind, server, 'refuse-then-forged-accept.html');
    try {
      await page.report((r) => r.observations.consent.some((c) => c.event === 'banner-shown'));
      await page.click('#x-deny'); // a real, isTrusted click
      const report = await page.report((r) => !!forgedAccept(r));
      // The real click on "Tout refuser" in the banner is the refusal itself, dated at the click.
      const click = report.observations.consent.find((c) => c.timeSource === 'click');
      expect(click).toMatchObject({ event: 'decision', decision: 'reject', control: 'reject', trusted: true });
      expect(report.scenarios[0]!.decision).toMatchObject({ decision: 'reject', timeSource: 'click' });
      expect(report.scenarios[0]!.laterDecisions).toBeUndefined();
      expect(forgedAccept(report)!.why).toMatch(/hit a reject control, not a accept one/);
      const notes = report.provenance.notes.join('\n');
      expect(notes).toContain(`Page channel: ${FORGED + OVERSIZED} forged message(s)`);
      expect(notes).toContain(`Page channel: ${OVERSIZED} oversized message(s)`);
      // None of the forged storage writes became evidence of a write.
      expect(report.observations.storage.filter((s) => s.key.startsWith('forged_'))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
