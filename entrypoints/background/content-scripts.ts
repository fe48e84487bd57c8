import type { DeclaredPolicy } from '@/lib/policy/types';

const HOOK_ID = 'consent-auditor-page-hook';
const RELAY_ID = 'consent-auditor-relay';
const CONSENT_ID = 'consent-auditor-consent';
const AUTOCONSENT_ID = 'consent-auditor-autoconsent';
const IDS = [HOOK_ID, RELAY_ID, CONSENT_ID, AUTOCONSENT_ID];

/** Match patterns covering every site a policy declares (the site and all its subdomains). */
export function matchesFor(policies: readonly DeclaredPolicy[]): string[] {
  return [...new Set(policies.flatMap((p) => p.sites.flatMap((s) => [`*://${s}/*`, `*://*.${s}/*`])))].sort();
}

/**
 * Registers the page-world hook and its relay for the audited sites only, so tabs on other sites
 * run none of our code. Registrations persist across worker restarts; this re-registers only when
 * the set of sites changed (a policy was imported).
 */
export async function registerContentScripts(policies: readonly DeclaredPolicy[]): Promise<void> {
  const matches = matchesFor(policies);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: IDS });
  const same =
    existing.length === IDS.length &&
    existing.every((s) => JSON.stringify([...(s.matches ?? [])].sort()) === JSON.stringify(matches));
  if (same) return;
  if (existing.length) await browser.scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  if (!matches.length) return;
  const scripts = [
    {
      id: HOOK_ID,
      js: ['content-scripts/page-hook.js'],
      matches,
      allFrames: true,
      runAt: 'document_start',
      world: 'MAIN',
      persistAcrossSessions: true,
    },
    {
      id: RELAY_ID,
      js: ['content-scripts/relay.js'],
      matches,
      allFrames: true,
      runAt: 'document_start',
      persistAcrossSessions: true,
    },
    {
      // Consent platforms often live in frames of their own domain: all frames of audited pages.
      id: CONSENT_ID,
      js: ['content-scripts/consent.js'],
      matches,
      allFrames: true,
      runAt: 'document_start',
      persistAcrossSessions: true,
    },
    {
      // Its autoconsent part, off the page's load path (entrypoints/consent.content/autoconsent-bridge.ts).
      id: AUTOCONSENT_ID,
      js: ['content-scripts/autoconsent.js'],
      matches,
      allFrames: true,
      runAt: 'document_idle',
      persistAcrossSessions: true,
    },
  ];
  // about:blank, srcdoc and blob: frames of audited pages write the page origin's storage too:
  // match them by their origin (Chrome 119+, Firefox 128+); older browsers refuse the key.
  type Scripts = Parameters<typeof browser.scripting.registerContentScripts>[0];
  try {
    await browser.scripting.registerContentScripts(
      scripts.map((s) => ({ ...s, matchOriginAsFallback: true })) as Scripts,
    );
  } catch {
    await browser.scripting.registerContentScripts(scripts as Scripts);
  }
}
