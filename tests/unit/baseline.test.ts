/**
 * A site without a policy: the baseline of the law (lib/policy/baseline.ts), the rules run against
 * it (law only, no policy clause), and the registry's fallback once the auditor chose to audit it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import { render } from '../../lib/i18n';
import { baselinePolicy, BASELINE_POLICY_ID } from '../../lib/policy/baseline';
import { audit } from '../../lib/rules/audit';
import { createSourceRegistry } from '../../lib/sources/registry';
import { IMPORT_KEYS } from '../../lib/sources/stored';
import { expandObservations } from '../vectors/run-vectors';

const knowledge = createClassifier(builtinKnowledge);
/** The rules that judge a policy's declarations, not the law. */
const POLICY_RULES: string[] = ['undeclared-third-party', 'undeclared-category'];
const DAY = 86_400_000;

/** A visit to a site no policy covers: Google Analytics and a two-year _ga before any decision, and an unknown third party. */
const visit = () =>
  expandObservations(
    [
      { kind: 'request', at: '2026-03-10T09:00:00Z', url: 'https://www.shop.test/', type: 'main_frame' },
      { kind: 'request', url: 'https://www.googletagmanager.com/gtag/js?id=G-1', type: 'script' },
      { kind: 'request', url: 'https://region1.google-analytics.com/g/collect?v=2&tid=G-1', type: 'ping' },
      { kind: 'request', url: 'https://cdn.unknown-vendor.test/x.js', type: 'script' },
      {
        kind: 'cookie',
        name: '_ga',
        domain: 'shop.test',
        requestedExpiry: new Date(Date.parse('2026-03-10T09:00:05Z') + 730 * DAY).toISOString(),
      },
    ],
    'shop.test',
  );

describe('the baseline of the law', () => {
  const findings = audit(visit(), baselinePolicy(['shop.test']), knowledge);

  it('finds what the law forbids: trackers and cookies before consent, and a lifetime over 13 months', () => {
    const rules = new Set(findings.map((f) => f.rule));
    expect(rules).toContain('tracker-before-consent');
    expect(rules).toContain('cookie-before-consent');
    const lifetime = findings.find((f) => f.rule === 'cookie-lifetime-exceeds-policy');
    expect(lifetime?.subject.key).toBe('_ga@shop.test');
    expect(lifetime?.message.detail.params?.what).toEqual({ key: 'finding.cookieLifetimeExceedsPolicy.lawMax' });
    expect(render('fr', lifetime!.message.detail)).toContain('la limite de 13 mois de la CNIL');
  });

  it('cites the law only: no clause of a policy, and no rule that judges declarations', () => {
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.flatMap((f) => f.policyRefs)).toEqual([]);
    for (const f of findings.filter((f) => f.severity !== 'info')) expect(f.legalRefs.length).toBeGreaterThan(0);
    expect(findings.filter((f) => POLICY_RULES.includes(f.rule))).toEqual([]);
  });

  it('declares nothing a site would: no recipient, purpose, third party or cookie', () => {
    const policy = baselinePolicy(['shop.test']);
    expect(policy).toMatchObject({
      id: BASELINE_POLICY_ID,
      recipients: [],
      categories: [],
      thirdParties: [],
      cookies: [],
    });
    expect(policy.maxCookieLifetime).toEqual({ months: 13, refs: [] });
  });
});

describe('the registry falls back to the baseline for a site the auditor chose to audit', () => {
  beforeEach(() => fakeBrowser.reset());

  it('covers the site from then on, in this and the next worker, until a policy covers it', async () => {
    const onPoliciesChanged = vi.fn(async () => undefined);
    const sources = createSourceRegistry({ storage: fakeBrowser.storage.local, onPoliciesChanged });
    await sources.ready;
    expect(sources.policyFor('shop.test')).toBeUndefined();
    await sources.auditWithBaseline('shop.test');
    expect(sources.policyFor('shop.test')?.policy).toMatchObject({ id: 'baseline', sites: ['shop.test'] });
    expect(sources.policyFor('shop.test')?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sources.isPolicySite('shop.test')).toBe(true);
    // The content scripts are registered for it.
    expect(onPoliciesChanged).toHaveBeenLastCalledWith(
      expect.arrayContaining([expect.objectContaining({ id: 'baseline', sites: ['shop.test'] })]),
    );
    expect(await fakeBrowser.storage.local.get(IMPORT_KEYS.baselineSites)).toEqual({
      [IMPORT_KEYS.baselineSites]: ['shop.test'],
    });
    // A site with a policy keeps its own.
    await sources.auditWithBaseline('o2toit.com');
    expect(sources.policyFor('o2toit.com')?.policy.id).toBe('o2toit.com');

    const next = createSourceRegistry({ storage: fakeBrowser.storage.local });
    await next.ready;
    expect(next.policyFor('shop.test')?.policy.id).toBe('baseline');
    // A policy written for the site is not refused as a conflict, and replaces the baseline.
    const written = { ...baselinePolicy(['shop.test']), id: 'shop.test' };
    expect(next.siteConflict(written)).toBeUndefined();
  });
});
