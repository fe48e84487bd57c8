import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { runScenario } from './consent-scenarios';
import { startDohServer, type DohServer } from './harness/doh-server';
import { builtinCloaking } from '../../lib/knowledge/cloaking';
import vendorsData from '../../lib/knowledge/data/vendors.json';

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

/**
 * The canonical-name path (Firefox's `dns.resolve`): the test's own DNS-over-HTTPS resolver makes
 * the site's subdomain tk.o2toit.com an alias of o2toit.eulerian.net; the extension asks Firefox's
 * resolver for the canonical name of each first-party host, records it as a `dns` observation, and
 * the hit on that subdomain (whose path names no vendor) is Eulerian's, via CNAME cloaking.
 */
describe('CNAME-cloaked subdomain in firefox', () => {
  const CLOAKED = 'tk.o2toit.com';
  const CANONICAL = 'o2toit.eulerian.net';
  const setup = builtinCloaking.setups.find((s) => s.canonicalDomains.some((d) => CANONICAL.endsWith(`.${d}`)))!;
  const vendor = vendorsData.vendors.find((v) => v.id === setup.vendor)!;
  const cloakedHit = (r: AuditReport) => r.observations.requests.find((q) => q.host === CLOAKED);
  const dnsOf = (r: AuditReport) => r.observations.dns?.find((d) => d.host === CLOAKED);
  let server: FixtureServer;
  let doh: DohServer;
  beforeAll(async () => {
    server = await startFixtureServer();
    doh = await startDohServer({ [CLOAKED]: CANONICAL });
  });
  afterAll(async () => {
    await doh?.close();
    await server?.close();
  });

  it('attributes the hit on the cloaked subdomain to its tracker, before consent', async () => {
    const { report } = await runScenario('firefox', server, {
      page: 'cname-cloaked.html',
      action: 'none',
      firefoxPrefs: doh.firefoxPrefs,
      ready: (r) => !!cloakedHit(r) && !!dnsOf(r),
      settled: () => true,
    });
    // Firefox's resolver asked ours, and the page's hit went to the cloaked host.
    expect(doh.questions.some((q) => q.name === CLOAKED)).toBe(true);
    expect(server.hits.some((h) => h.host === CLOAKED && h.path.startsWith('/col/o2toit/'))).toBe(true);
    expect(cloakedHit(report)!.thirdParty).toBe(false);
    expect(dnsOf(report)).toMatchObject({
      kind: 'dns',
      source: 'dns-api',
      canonicalName: CANONICAL,
      phase: 'before-consent',
    });
    const f = report.findings.find((x) => x.id === `tracker-before-consent:${vendor.id}`);
    expect(f, JSON.stringify(report.findings.map((x) => x.id))).toBeDefined();
    expect(f!.phase).toBe('before-consent');
    expect(f!.classifiedBy).toMatchObject({
      vendorId: vendor.id,
      vendorName: `${vendor.name} (via CNAME cloaking)`,
      matchedBy: `cname: ${CLOAKED} → ${CANONICAL} (known CNAME set-up ${vendor.id})`,
    });
    expect(f!.evidence.map((e) => e.url)).toEqual([cloakedHit(report)!.url]);
    // The cookie the hit sets on the site's own domain: the tracker's (by its name), set by the cloaked host.
    const cookie = vendor.cookies![0]!.pattern;
    const c = report.findings.find((x) => x.id === `cookie-before-consent:${cookie}@o2toit.com`);
    expect(c, JSON.stringify(report.findings.map((x) => x.id))).toBeDefined();
    expect(c!.classifiedBy).toMatchObject({ vendorId: vendor.id });
    expect(c!.evidence.map((e) => e.url)).toEqual([cloakedHit(report)!.url]);
    // A cookie no knowledge source knows by name: the tracker's because the cloaked host set it.
    const u = report.findings.find((x) => x.id === 'cookie-before-consent:o2tk_uid@o2toit.com');
    expect(u, JSON.stringify(report.findings.map((x) => x.id))).toBeDefined();
    expect(u!.classifiedBy).toEqual(f!.classifiedBy);
    expect(u!.evidence.map((e) => e.url)).toEqual([cloakedHit(report)!.url]);
    expect(u!.message.detail).toMatchObject({ key: 'finding.cookieBeforeConsent.detailCloaked' });
    expect(u!.detail).toContain(f!.classifiedBy!.matchedBy);
  });
});
