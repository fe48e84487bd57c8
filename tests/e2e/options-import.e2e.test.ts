/**
 * The options page in real Chromium with the built extension: imports through the file inputs,
 * refusals that name the line or field and keep the previous data, and an audit of a second site
 * (the generic boutique, an imported policy) whose findings name the imported source that
 * classified them. Uses the real Open Cookie Database and EasyPrivacy from ../shared/data when they
 * are there, and small excerpts from tests/fixtures/imports otherwise.
 */
import { MAX_IMPORT_BYTES, sizeError } from '../../lib/limits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchChromium, type ChromiumHarness } from './harness/chromium';
import { ask, tabIdOf } from './harness/extension-client';
import { ROOT } from './harness/paths';
import { POLL } from './poll';
import { assertValidReport, findingById, findingIds, waitForReport } from './report-helpers';
import type { AuditReport } from '../../lib/report/types';

const SHARED = join(ROOT, '../shared/data');
const REAL_OCD = join(SHARED, 'open-cookie-database/open-cookie-database.csv');
const REAL_LIST = join(SHARED, 'easyprivacy/easyprivacy.txt');
const OCD = existsSync(REAL_OCD) ? REAL_OCD : join(ROOT, 'tests/fixtures/imports/ocd-sample.csv');
const LIST = existsSync(REAL_LIST) ? REAL_LIST : join(ROOT, 'tests/fixtures/imports/privacy-sample.txt');
const BOUTIQUE = 'https://www.example-boutique.fr/';
const boutiqueText = readFileSync(join(ROOT, 'policies/example-boutique.fr.json'), 'utf8');
/** The gaps the boutique's policy file lists, in its order. */
const POLICY_GAPS = (JSON.parse(boutiqueText) as { gaps: Array<{ id: string }> }).gaps.map((g) => g.id);

/** A file for `setInputFiles`, from text. */
const file = (name: string, text: string, mimeType = 'text/plain') => ({
  name,
  mimeType,
  buffer: Buffer.from(text, 'utf8'),
});

/** Picks a file, imports it, and waits for this import's own outcome (outcomes are numbered). */
async function importInto(section: Locator, files: Parameters<Locator['setInputFiles']>[0]): Promise<void> {
  const outcome = section.locator('[data-testid="result"], [data-testid="errors"]');
  const before = (await outcome.count()) ? await outcome.first().getAttribute('data-seq') : null;
  await section.getByTestId('file').setInputFiles(files);
  await section.getByTestId('import').click();
  await expect
    .poll(async () => ((await outcome.count()) ? outcome.first().getAttribute('data-seq') : null), {
      ...POLL,
      timeout: 30_000,
    })
    .not.toBe(before);
}

describe('options page: imports in Chromium, and an audit classified by them', () => {
  let server: FixtureServer;
  let chromium: ChromiumHarness;
  let options: Page;

  beforeAll(async () => {
    if (!existsSync(REAL_OCD) || !existsSync(REAL_LIST))
      console.log(`../shared/data absent: importing the small excerpts in tests/fixtures/imports`);
    server = await startFixtureServer();
    chromium = await launchChromium({ server });
    options = await chromium.openExtensionPage('options.html');
    await chromium.waitForExtensionReady(options);
  });

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  const policies = () => options.getByTestId('policies');

  it('lists the built-in policy, refuses a malformed policy with its line and field, and keeps the list', async () => {
    await expect
      .poll(() => policies().locator('li[data-id]').allTextContents(), POLL)
      .toEqual([expect.stringMatching(/^o2toit\.com v2026-11-26\s*built-in/)]);
    const broken = boutiqueText.replace(
      '"category": "customer-interaction",\n      "purpose"',
      '"category": "chat",\n      "purpose"',
    );
    const line = broken.split('\n').findIndex((l) => l.includes('"chat"')) + 1;
    await importInto(policies(), file('broken-policy.json', broken, 'application/json'));
    const errors = policies().getByTestId('errors');
    expect(await errors.textContent()).toContain(`line ${line} · /categories/3/category: must be one of`);
    expect(await errors.textContent()).toMatch(/nothing was changed, the previous data is kept/);
    expect(await policies().locator('li[data-id]').count()).toBe(1);

    const syntax = '{\n  "formatVersion": 2,\n  "id": "x"\n  "sites": []\n}';
    await importInto(policies(), file('syntax.json', syntax, 'application/json'));
    expect(await policies().getByTestId('errors').textContent()).toMatch(/line 4, column \d+: invalid JSON/);
  });

  it('refuses a policy file over the size limit before reading it, in the command line words', async () => {
    const bytes = MAX_IMPORT_BYTES.policy + 1024;
    const big = `{"formatVersion": 2, "pad": "${'x'.repeat(bytes - 40)}"}`.padEnd(bytes, ' ');
    await importInto(policies(), file('big-policy.json', big, 'application/json'));
    expect(await policies().getByTestId('errors').textContent()).toContain(
      `big-policy.json: ${sizeError('policy', Buffer.byteLength(big))}`,
    );
    expect(await policies().locator('li[data-id]').count()).toBe(1);
  });

  it('imports a valid policy for another site, which the extension then audits', async () => {
    await importInto(policies(), file('example-boutique.fr.json', boutiqueText, 'application/json'));
    expect(await policies().getByTestId('result').textContent()).toContain(
      'Imported policy example-boutique.fr for example-boutique.fr',
    );
    await expect.poll(() => policies().locator('li[data-id]').count(), POLL).toBe(2);
    expect(await policies().locator('li[data-id="example-boutique.fr"]').textContent()).toMatch(
      /imported from example-boutique\.fr\.json/,
    );
    const status = await ask(options, { type: 'status' });
    expect(status.policies).toEqual([
      { id: 'o2toit.com', sites: ['o2toit.com'], origin: 'builtin' },
      { id: 'example-boutique.fr', sites: ['example-boutique.fr'], origin: 'imported' },
    ]);
  });

  it('refuses a malformed CSV and filter list with their lines, then imports the real ones', async () => {
    const ocd = options.getByTestId('ocd');
    const header = readFileSync(OCD, 'utf8').split('\n')[0]!;
    await importInto(
      ocd,
      file(
        'bad.csv',
        `${header}\nx-1,Fixture,Analytics,ok_cookie,,d,1 day,F,,0\nx-2,Fixture,Tracking,bad_cookie,,d,1 day,F,,0\n`,
        'text/csv',
      ),
    );
    expect(await ocd.getByTestId('errors').textContent()).toContain('line 3 · Category: unknown category "Tracking"');
    expect(await ocd.locator('li[data-id]').count()).toBe(0);

    await importInto(ocd, { name: OCD.split('/').at(-1)!, mimeType: 'text/csv', buffer: readFileSync(OCD) });
    expect(await ocd.getByTestId('result').textContent()).toMatch(/^Imported \d+ cookie entries from /);
    await expect.poll(() => ocd.locator('li[data-id]').count(), POLL).toBe(1);

    const filters = options.getByTestId('filters');
    await importInto(filters, { name: LIST.split('/').at(-1)!, mimeType: 'text/plain', buffer: readFileSync(LIST) });
    expect(await filters.getByTestId('result').textContent()).toMatch(/^Imported \d+ network filters from /);
    // Pasted text goes through the same checks as a file.
    const before = await filters
      .locator('[data-testid="result"], [data-testid="errors"]')
      .first()
      .getAttribute('data-seq');
    await filters.getByTestId('paste').fill('<!doctype html>\n<html><body>404</body></html>\n');
    await filters.getByTestId('import').click();
    await expect
      .poll(
        () =>
          filters
            .getByTestId('errors')
            .getAttribute('data-seq')
            .catch(() => null),
        POLL,
      )
      .not.toBe(before);
    expect(await filters.getByTestId('errors').textContent()).toContain(
      'line 1: looks like HTML or JSON, not a filter',
    );
    expect(await filters.locator('li[data-id]').count()).toBe(1);
    // A failed CSV import after a good one keeps the good one.
    await importInto(ocd, file('bad.csv', `${header}\nx-2,Fixture,Tracking,bad_cookie,,d,1 day,F,,0\n`, 'text/csv'));
    expect(await ocd.locator('li[data-id]').textContent()).toContain(OCD.split('/').at(-1)!);
  });

  describe('an audit of the imported site', () => {
    let report: AuditReport;
    let site: Page;

    beforeAll(async () => {
      site = await chromium.context.newPage();
      await site.goto(BOUTIQUE, { waitUntil: 'load' });
      report = await waitForReport(
        options,
        BOUTIQUE,
        (r) => {
          const ids = findingIds(r);
          return (
            ids.includes('undeclared-third-party:123stat.com') &&
            ids.includes('cookie-lifetime-exceeds-policy:BCSessionID@www.example-boutique.fr') &&
            ids.includes('undeclared-category:session-recording')
          );
        },
        30_000,
      );
    });

    it('names the imported Open Cookie Database as the source of a cookie only it knows', () => {
      assertValidReport(report);
      expect(report.provenance.policy.id).toBe('example-boutique.fr');
      const lifetime = findingById(report, 'cookie-lifetime-exceeds-policy:BCSessionID@www.example-boutique.fr');
      expect(lifetime.classifiedBy).toMatchObject({
        source: 'open-cookie-database',
        vendorName: 'Blueconic.com',
        category: 'advertising',
      });
      expect(lifetime.classifiedBy!.matchedBy).toMatch(/^cookie BCSessionID \(exact\), .+ line \d+, ID /);
      expect(lifetime.policyRefs.map((r) => r.section)).toEqual(['4']);
      // Written by the page itself: the page-world hook was registered for the newly imported site.
      expect(lifetime.evidence[0]).toMatchObject({ via: 'document.cookie', requestedLifetimeDays: 365 });
      const advertising = findingById(report, 'undeclared-category:advertising');
      expect(advertising.classifiedBy?.source).toBe('open-cookie-database');
      expect(findingIds(report)).not.toContain('unclassified-cookie:BCSessionID@www.example-boutique.fr');
    });

    it('names the filter rule that classified a tracker no built-in source knows', () => {
      const third = findingById(report, 'undeclared-third-party:123stat.com');
      expect(third.subject.kind).toBe('host');
      expect(third.classifiedBy).toMatchObject({
        source: 'filter-list',
        matchedBy: '||123stat.com^$third-party',
        category: 'audience-measurement',
      });
      expect(third.classifiedBy!.sourceName).toMatch(/^\S+\.txt line \d+$/);
      expect(findingById(report, 'tracker-before-consent:123stat.com').classifiedBy?.source).toBe('filter-list');
    });

    it('compares the generic policy point by point, and carries its gaps and the imports in the report', () => {
      const ids = findingIds(report);
      expect(findingById(report, 'undeclared-category:session-recording').classifiedBy).toMatchObject({
        source: 'builtin-kb',
        vendorId: 'hotjar',
      });
      expect(ids).toContain('undeclared-third-party:hotjar');
      // Declared by name: no undeclared-third-party finding for them.
      for (const vendor of ['matomo', 'crisp', 'youtube', 'axeptio'])
        expect(ids).not.toContain(`undeclared-third-party:${vendor}`);
      expect(
        findingById(report, 'cookie-lifetime-exceeds-policy:_pk_id.1.f1x7@www.example-boutique.fr').policyRefs.map(
          (r) => r.section,
        ),
      ).toEqual(['4']);
      expect(ids).not.toContain('cookie-lifetime-exceeds-policy:_pk_ses.1.f1x7@www.example-boutique.fr');
      expect(ids).not.toContain('unclassified-cookie:boutique_session@www.example-boutique.fr');
      expect(report.policyGaps?.map((g) => g.id)).toEqual(POLICY_GAPS);
      expect(report.provenance.knowledge.imports?.map((i) => i.source)).toEqual([
        'open-cookie-database',
        'filter-list',
      ]);
    });

    it('shows the source of each classification and the policy gaps in the popup', async () => {
      const tabId = await tabIdOf(options, BOUTIQUE);
      const popup = await chromium.openExtensionPage(`popup.html?tab=${tabId}`);
      // The popup renders the first subjects only; the officer searches for the one to read.
      await popup.getByTestId('search').fill('BCSessionID');
      const card = popup.locator(
        'article[data-rule="cookie-lifetime-exceeds-policy"][data-subject="BCSessionID@www.example-boutique.fr"]',
      );
      await expect
        .poll(() => card.getByTestId('classified-by').textContent(), POLL)
        .toMatch(
          /Classified by Open Cookie Database \(imported\) \S+:\s+Blueconic\.com\s+\(cookie BCSessionID \(exact\)/,
        );
      await popup.getByTestId('search').fill('123stat.com');
      const tracker = popup.locator('article[data-rule="undeclared-third-party"][data-subject="123stat.com"]');
      await expect.poll(() => tracker.count(), POLL).toBe(1);
      expect(await tracker.getByTestId('classified-by').textContent()).toMatch(
        /filter list \(imported\) \S+ line \d+:\s+123stat\.com\s+\(\|\|123stat\.com\^\$third-party\)/,
      );
      const gaps = popup.getByTestId('policy-gaps');
      expect(await gaps.locator('h2').textContent()).toBe('What the policy does not say');
      expect(await gaps.locator('li').count()).toBe(POLICY_GAPS.length);
      // The popup leads to the options page (already open here, so the browser brings its tab forward).
      await popup.getByTestId('open-options').click();
      const activeTab = () =>
        popup.evaluate(async () => {
          const api = (globalThis as any).browser ?? (globalThis as any).chrome;
          return ((await api.tabs.query({ active: true, lastFocusedWindow: true })) as Array<{ url?: string }>)[0]?.url;
        });
      await expect.poll(activeTab, POLL).toBe(chromium.extensionUrl('options.html'));
      await popup.close();
    });

    it('keeps the imports across a service-worker restart, and forgets a removed list', async () => {
      await chromium.stopServiceWorkers();
      await site.reload({ waitUntil: 'load' });
      // The reload's own hit of the counter: the restarted worker recorded it, with the imported list loaded.
      const hits = (r: AuditReport) => r.observations.requests.filter((q) => q.host === 'www.123stat.com').length;
      const before = hits(report);
      expect(before).toBeGreaterThan(0);
      const after = await waitForReport(options, BOUTIQUE, (r) => hits(r) >= 2 * before, 30_000);
      expect(findingById(after, 'undeclared-third-party:123stat.com').evidence.length).toBeGreaterThan(
        findingById(report, 'undeclared-third-party:123stat.com').evidence.length,
      );
      expect(findingById(after, 'undeclared-third-party:123stat.com').classifiedBy?.source).toBe('filter-list');
      await options.reload();
      const filters = options.getByTestId('filters');
      await filters.getByTestId('remove').click();
      await expect.poll(() => filters.locator('li[data-id]').count(), POLL).toBe(0);
      const without = await waitForReport(
        options,
        BOUTIQUE,
        (r) => !findingById(r, 'undeclared-third-party:123stat.com').classifiedBy,
      );
      expect(findingIds(without)).not.toContain('tracker-before-consent:123stat.com');
    });
  });
});
