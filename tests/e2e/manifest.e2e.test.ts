import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROME_BUILD, FIREFOX_BUILD } from './harness/paths';

const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

/**
 * Guards the built manifests: permissions must not grow unnoticed, the page-world hook must stay
 * free of extension code, and Firefox needs its gecko settings. Runs after `npm run build`.
 */
describe.skipIf(!existsSync(join(CHROME_BUILD, 'manifest.json')))('built manifests', () => {
  const EXPECTED_PERMISSIONS = [
    'storage',
    'unlimitedStorage',
    'cookies',
    'webRequest',
    'webNavigation',
    'scripting',
    'browsingData',
  ];
  /** Read-only settings of the start state, asked for in the popup only when the auditor wants them. */
  const OPTIONAL_PERMISSIONS = ['privacy', 'management'];

  /**
   * Firefox only: the isolated audit opens the page in a container of its own; a cross-site frame of
   * an audited tab waits for its content scripts (entrypoints/background/frame-scripts.ts); the site's
   * hosts' canonical names are resolved to uncloak CNAMEs (entrypoints/background/cname-resolver.ts).
   */
  const FIREFOX_ONLY = ['contextualIdentities', 'webRequestBlocking', 'dns'];

  it('asks for exactly the permissions an auditor needs, in both browsers', () => {
    for (const [dir, extra] of [
      [CHROME_BUILD, []],
      [FIREFOX_BUILD, FIREFOX_ONLY],
    ] as const) {
      const m = manifest(dir);
      expect(m.manifest_version).toBe(3);
      expect(m.permissions).toEqual([...EXPECTED_PERMISSIONS, ...extra]);
      expect(m.optional_permissions).toEqual(OPTIONAL_PERMISSIONS);
      expect(m.host_permissions).toEqual(['<all_urls>']);
      // Content scripts are registered at runtime, for audited sites only.
      expect(m.content_scripts).toBeUndefined();
    }
  });

  it('builds Firefox as MV3 with its gecko id, minimum version and data-collection declaration', () => {
    const m = manifest(FIREFOX_BUILD);
    expect(m.browser_specific_settings.gecko).toEqual({
      id: 'consent-auditor@compliance.local',
      strict_min_version: '128.0',
      data_collection_permissions: { required: ['none'] },
    });
    expect(m.background.scripts).toEqual(['background.js']);
    expect(manifest(CHROME_BUILD).background.service_worker).toBe('background.js');
  });

  it('keeps extension APIs and the polyfill out of the page-world hook', () => {
    for (const dir of [CHROME_BUILD, FIREFOX_BUILD]) {
      const hook = readFileSync(join(dir, 'content-scripts/page-hook.js'), 'utf8');
      expect(hook).not.toMatch(/webextension-polyfill|runtime\.sendMessage|chrome\.runtime|browser\.runtime/);
      // The hooks (storage, cookies, TCF, fingerprinting probes) are about 12 kB; with the minified
      // polyfill (10 kB) or any extension runtime pulled in, the bundle would pass this bound.
      expect(hook.length).toBeLessThan(16_000);
    }
  });

  it('keeps the polyfill, tldts and autoconsent out of the scripts parsed at document_start in every frame', () => {
    // Bounds: relay about 24 kB, consent about 37 kB. Each grew past its bound with any of these:
    // the polyfill (10 kB), tldts' public-suffix list (170 kB), autoconsent (100 kB).
    const BOUNDS = { 'relay.js': 32_000, 'consent.js': 48_000 };
    for (const dir of [CHROME_BUILD, FIREFOX_BUILD]) {
      for (const [file, bound] of Object.entries(BOUNDS)) {
        const code = readFileSync(join(dir, 'content-scripts', file), 'utf8');
        expect(code, file).not.toMatch(/webextension-polyfill|minArgs|AutoConsent is not initialized|blogspot/);
        expect(code.length, file).toBeLessThan(bound);
      }
      // autoconsent comes at document_idle, as a script of its own.
      const late = readFileSync(join(dir, 'content-scripts/autoconsent.js'), 'utf8');
      expect(late).toMatch(/AutoConsent is not initialized/);
      expect(late).not.toMatch(/webextension-polyfill/);
    }
  });
});
