/**
 * The same imports in Firefox ESR (an MV3 event page, not a service worker): the options page
 * lists and refuses, a policy imported for another site makes the extension audit it (page-world
 * hook included), and the findings name the imported source. Imports go through the page's own
 * runtime messages; the Chromium test drives the file inputs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchFirefox, type FirefoxHarness } from './harness/firefox';
import { ask, sendRuntimeMessage } from './harness/extension-client';
import { ROOT } from './harness/paths';
import { findingById, findingIds, waitForReport } from './report-helpers';

const BOUTIQUE = 'https://www.example-boutique.fr/';
const fixture = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const OCD_SAMPLE = fixture('tests/fixtures/imports/ocd-sample.csv');
const LIST_SAMPLE = fixture('tests/fixtures/imports/privacy-sample.txt');
/** The sample's cookie rows: every non-empty line after the header (no quoted field spans lines there). */
const OCD_ROWS = OCD_SAMPLE.split('\n')
  .slice(1)
  .filter((l) => l.trim()).length;
/** The sample's network filters: every line that is not blank, a `!` comment or the `[Adblock Plus]` header. */
const LIST_FILTERS = LIST_SAMPLE.split('\n').filter((l) => l.trim() && !/^\s*[![]/.test(l)).length;

describe('options imports in Firefox ESR', () => {
  let server: FixtureServer;
  let firefox: FirefoxHarness;
  let options: Page;

  beforeAll(async () => {
    server = await startFixtureServer();
    firefox = await launchFirefox({ server });
    options = await firefox.openExtensionPage('options.html');
    await firefox.waitForExtensionReady(options);
  });

  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('refuses a malformed policy with its line and keeps the built-in one, then imports the example', async () => {
    const broken = fixture('policies/example-boutique.fr.json').replace('"language": "fr"', '"language": "French"');
    const line = broken.split('\n').findIndex((l) => l.includes('"language": "French"')) + 1;
    expect(line).toBeGreaterThan(0);
    const refused = await sendRuntimeMessage(options, {
      type: 'import-policy',
      text: broken,
      source: 'broken.json',
    });
    expect(refused).toEqual({
      ok: false,
      refusal: {
        code: 'bad-request',
        message: 'the policy was not imported',
        problems: [{ path: '/language', line, message: 'must match ^[a-z]{2}$' }],
      },
    });
    const syntaxText = '{\n  "id": 1,\n}';
    // The trailing comma is an error where the closing brace stands.
    const syntaxLine = syntaxText.split('\n').findIndex((l) => l.startsWith('}')) + 1;
    const syntax = await sendRuntimeMessage(options, {
      type: 'import-policy',
      text: syntaxText,
      source: 'syntax.json',
    });
    // SpiderMonkey words JSON errors differently from V8; the line is still found.
    expect(syntax).toMatchObject({
      ok: false,
      refusal: {
        code: 'bad-request',
        problems: [{ path: expect.stringMatching(new RegExp(`^line ${syntaxLine}, column \\d+$`)), line: syntaxLine }],
      },
    });
    const ok = await sendRuntimeMessage(options, {
      type: 'import-policy',
      text: fixture('policies/example-boutique.fr.json'),
      source: 'example-boutique.fr.json',
    });
    expect(ok).toEqual({ ok: true, value: { id: 'example-boutique.fr', sites: ['example-boutique.fr'] } });
    const ocd = await sendRuntimeMessage(options, {
      type: 'import-knowledge',
      kind: 'ocd',
      text: OCD_SAMPLE,
      source: 'ocd-sample.csv',
    });
    expect(ocd).toMatchObject({ ok: true, value: { entries: OCD_ROWS } });
    const list = await sendRuntimeMessage(options, {
      type: 'import-knowledge',
      kind: 'filters',
      text: LIST_SAMPLE,
      source: 'privacy-sample.txt',
    });
    expect(list).toMatchObject({ ok: true, value: { entries: LIST_FILTERS } });
    const listing = await ask(options, { type: 'list-imports' });
    expect(listing.policies.map((p) => `${p.id}:${p.origin}`)).toEqual([
      'o2toit.com:builtin',
      'example-boutique.fr:imported',
    ]);
  });

  it('audits the imported site and names the imported sources in its findings', async () => {
    const site = await firefox.browser.newPage();
    await site.goto(BOUTIQUE, { waitUntil: 'load' });
    const report = await waitForReport(
      options,
      BOUTIQUE,
      (r) =>
        findingIds(r).includes('cookie-lifetime-exceeds-policy:BCSessionID@www.example-boutique.fr') &&
        findingIds(r).includes('undeclared-third-party:123stat.com'),
      30_000,
    );
    expect(report.provenance.browser.name).toBe('Firefox');
    const bc = findingById(report, 'cookie-lifetime-exceeds-policy:BCSessionID@www.example-boutique.fr');
    expect(bc.classifiedBy).toMatchObject({ source: 'open-cookie-database', sourceName: 'ocd-sample.csv' });
    expect(bc.evidence.some((e) => e.via === 'document.cookie')).toBe(true);
    expect(findingById(report, 'undeclared-third-party:123stat.com').classifiedBy).toMatchObject({
      source: 'filter-list',
      matchedBy: '||123stat.com^$third-party',
    });
    const gaps = (JSON.parse(fixture('policies/example-boutique.fr.json')) as { gaps: Array<{ id: string }> }).gaps;
    expect(report.policyGaps?.map((g) => g.id)).toEqual(gaps.map((g) => g.id));
  });

  it('shows the imports on the options page', async () => {
    // Over BiDi a moz-extension:// navigation never resolves: open a fresh page instead of reload().
    const page = await firefox.openExtensionPage('options.html');
    await page.waitForSelector('[data-testid="filters"] li[data-id="privacy-sample.txt"]', { timeout: 10_000 });
    const text = await page.$eval('[data-testid="policies"]', (el) => el.textContent ?? '');
    expect(text).toMatch(/example-boutique\.fr v2026-11-26\s*imported from example-boutique\.fr\.json/);
  });
});
