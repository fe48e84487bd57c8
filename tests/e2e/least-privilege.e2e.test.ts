/**
 * Least privilege and "sends nothing anywhere", checked on the built extension:
 * - the manifests ask for exactly the permissions the README justifies, no more, no fewer;
 * - extension pages run under a strict CSP, and the bundles contain no eval;
 * - with every connection of the browser routed through the fixture server (Chromium: --proxy-server;
 *   Firefox: the harness's proxy prefs), an audit journey reaches only the audited site's own host: the
 *   extension makes no request of its own, and the browser none to Google.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer, type Hit } from '../../scripts/fixture-server/server.ts';
import { launchChromium } from '../../scripts/browser/chromium.ts';
import { launchFirefox } from './harness/firefox.ts';
import { CHROME_BUILD, FIREFOX_BUILD } from './harness/paths.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

/**
 * The permissions listed in the README's "Permissions" table (first column, in backticks), for one
 * browser: a row marked "(Firefox only)" belongs to Firefox's manifest alone.
 */
function readmePermissions(browser: 'chromium' | 'firefox'): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Permissions'));
  if (!section) throw new Error('README.md has no "## Permissions" section');
  return [...section.matchAll(/^\| `([^`]+)`([^|]*)\|/gm)]
    .filter((m) => browser === 'firefox' || !/\(Firefox only\)/.test(m[2]!))
    .map((m) => m[1]!);
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

/** Hosts the journey below must reach, and nothing else: the audited site itself. */
const SITE_HOST = 'www.o2toit.com';
const END_MARK = '/mentions-legales?journey=end';

/**
 * Connections to hosts other than the audited site. RFC 2606 `.invalid` hosts are the sinks the launcher
 * points Chromium's own Google services at: they cannot resolve, so nothing leaves the machine.
 */
function unexpected(hits: Hit[]): string[] {
  return hits.filter((h) => h.host !== SITE_HOST && !h.host.endsWith('.invalid')).map((h) => `${h.method} ${h.url}`);
}

const built = existsSync(join(CHROME_BUILD, 'manifest.json')) && existsSync(join(FIREFOX_BUILD, 'manifest.json'));

describe.skipIf(!built)('least privilege', () => {
  it('asks for exactly the permissions the README justifies, in both browsers', () => {
    for (const [browser, dir] of [
      ['chromium', CHROME_BUILD],
      ['firefox', FIREFOX_BUILD],
    ] as const) {
      const justified = readmePermissions(browser).sort();
      expect(justified.length).toBeGreaterThan(0);
      const m = manifest(dir);
      const asked = [...(m.permissions ?? []), ...(m.host_permissions ?? []), ...(m.optional_permissions ?? [])];
      expect(asked.sort(), browser).toEqual(justified);
    }
    // Containers exist in Firefox alone: the README's mark is what keeps the two lists apart.
    expect(readmePermissions('firefox')).toContain('contextualIdentities');
    expect(readmePermissions('chromium')).not.toContain('contextualIdentities');
  });

  it('runs extension pages under a strict CSP, with no eval in any bundle', () => {
    for (const dir of [CHROME_BUILD, FIREFOX_BUILD]) {
      const csp: string = manifest(dir).content_security_policy?.extension_pages ?? '';
      const directives = new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter((d) => d[0])
          .map(([name, ...values]) => [name!, values]),
      );
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(directives.get('connect-src')).toEqual(["'self'"]);
      expect(directives.get('default-src')).toEqual(["'self'"]);
      for (const file of jsFiles(dir)) {
        const code = readFileSync(file, 'utf8');
        expect(code, file).not.toMatch(/[^\w.$]eval\(|new Function\(/);
      }
    }
  });

  describe('sends nothing anywhere', () => {
    let server: FixtureServer;
    beforeAll(async () => {
      server = await startFixtureServer();
    });
    afterAll(async () => {
      await server?.close();
    });

    it('Chromium: an audit journey reaches only the audited site; no extension or Google traffic', async () => {
      server.clearHits();
      // The CLI's own launcher, with no host rules: the proxy sees every connection, whatever its host.
      const chromium = await launchChromium({
        ignoreCertificateErrorsSpkiList: server.spkiHash,
        args: [`--proxy-server=http://127.0.0.1:${server.proxyPort}`],
      });
      try {
        const popup = await chromium.openExtensionPage('popup.html');
        await chromium.waitForExtensionReady(popup);
        const page = await chromium.context.newPage();
        await page.goto(`https://${SITE_HOST}/mentions-legales`);
        await page.goto(`https://${SITE_HOST}/contact`); // header cookies: the extension records them
        await popup.reload();
        const options = await chromium.openExtensionPage('options.html');
        await options.close();
        await page.goto(`https://${SITE_HOST}${END_MARK}`);
        await server.waitForHit({ host: SITE_HOST, path: END_MARK }, 30_000);
        expect(unexpected(server.hits)).toEqual([]);
      } finally {
        await chromium.close();
      }
    });

    it('Firefox: an audit journey reaches only the audited site; no extension or Google traffic', async () => {
      server.clearHits();
      const firefox = await launchFirefox({ server });
      try {
        const popup = await firefox.openExtensionPage('popup.html');
        await firefox.waitForExtensionReady(popup);
        const page = await firefox.browser.newPage();
        await page.goto(`https://${SITE_HOST}/mentions-legales`);
        await page.goto(`https://${SITE_HOST}/contact`);
        const options = await firefox.openExtensionPage('options.html');
        await options.close();
        await page.goto(`https://${SITE_HOST}${END_MARK}`);
        await server.waitForHit({ host: SITE_HOST, path: END_MARK }, 30_000);
        expect(unexpected(server.hits)).toEqual([]);
      } finally {
        await firefox.close();
      }
    });
  });
});
