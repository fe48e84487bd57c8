import { POLICY_FORMAT_VERSION, type DeclaredPolicy } from './types';

/**
 * The baseline of the law, for a site that declares no policy: what French law (Loi Informatique
 * et Libertés art. 82, CNIL guidelines and recommendation of 17 Sept. 2020) requires of any site,
 * with nothing declared. It names no recipient, purpose, category, third party or cookie, and
 * cites no clause (`refs: []` everywhere), so its findings cite the law only. It allows trackers
 * 13 months (CNIL), and exempts what the law exempts: the consent choice itself and the site's
 * own session cookies (strictly necessary by default; the unclassified-cookie finding still asks a
 * person to confirm). The rules that compare observations with a policy's declarations
 * (undeclared third party, undeclared purpose) do not run against it: with nothing declared they
 * would only say that the site has no policy (`BASELINE_SKIPPED_RULES`, lib/rules/audit.ts).
 */
export const BASELINE_POLICY_ID = 'baseline';

/** The baseline for these sites (registrable domains). */
export function baselinePolicy(sites: readonly string[] = []): DeclaredPolicy {
  return {
    formatVersion: POLICY_FORMAT_VERSION,
    id: BASELINE_POLICY_ID,
    version: '2020-09-17',
    title: 'Baseline of the law (no declared policy)',
    language: 'fr',
    sites: [...sites],
    controller: { name: 'not declared', refs: [] },
    recipients: [],
    maxCookieLifetime: { months: 13, refs: [] },
    categories: [],
    thirdParties: [],
    cookies: [],
    exemptions: [
      {
        kind: 'session-cookies',
        reason:
          'Session cookies of the site itself (CNIL: authentication, load balancing, cart), if strictly necessary.',
        refs: [],
      },
      {
        kind: 'consent-storage',
        reason: "Cookies that store the visitor's consent choice (CNIL guidelines 2020, art. 82 exemption).",
        refs: [],
      },
    ],
  };
}

/** Whether a policy is the baseline of the law rather than a site's declared policy. */
export function isBaseline(policy: Pick<DeclaredPolicy, 'id'>): boolean {
  return policy.id === BASELINE_POLICY_ID;
}
