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
  const EXPECTED_PERMISSIONS = ['storage', 'unlimitedStorage', 'cookies', 'webRequest', 'scripting', 'browsingData'];
  /** Read-only settings of the start state, asked for in the popup only when the auditor wants them. */
  const OPTIONAL_PERMISSIONS = ['privacy', 'management'];

  it('asks for exactly the permissions an auditor needs, in both browsers', () => {
    for (const dir of [CHROME_BUILD, FIREFOX_BUILD]) {
      const m = manifest(dir);
      expect(m.manifest_version).toBe(3);
      expect(m.permissions).toEqual(EXPECTED_PERMISSIONS);
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
      expect(hook.length).toBeLessThan(8_000);
    }
  });
});
