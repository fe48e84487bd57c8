/**
 * The officer's journeys of issue 11, written once for Chromium (Playwright) and Firefox (puppeteer):
 * the language switch, the audit of a site without a policy against the law's baseline, and a
 * policy written in the options page's editor that the next audit of the site uses. Pages are
 * driven through their own DOM (`evaluate`), which both drivers share.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import { translate, type MessageKey } from '../../lib/i18n';
import type { AuditReport } from '../../lib/report/types';
import catalog from '../../lib/rules/catalog.json';
import { ruleMeta } from '../../lib/rules/catalog';
import { ask, tabIdOf, type EvaluatingPage } from './harness/extension-client';
import { ROOT } from './harness/paths';
import { POLL } from './poll';
import { assertValidReport, waitForReport } from './report-helpers';

export const BOUTIQUE = 'https://www.example-boutique.fr/';
/** The rules that judge a policy's declarations, not the law. */
const POLICY_RULES: string[] = ['undeclared-third-party', 'undeclared-category'];

/** The message files, read as files: what the pages must show in each language. */
const messages = (lang: 'en' | 'fr') => JSON.parse(readFileSync(join(ROOT, `locales/${lang}.json`), 'utf8'));
export const EN = messages('en');
export const FR = messages('fr');

/** What an adapter over Playwright or puppeteer gives the flows. */
export interface Driver {
  /** Opens an extension page (path with query and hash) and resolves once it has loaded. */
  openPage(path: string): Promise<EvaluatingPage & { close(): Promise<void> }>;
  /** Opens a web page in a new tab and waits for its load. */
  openSite(url: string): Promise<{ close(): Promise<void> }>;
}

const text = (page: EvaluatingPage, selector: string): Promise<string> =>
  page.evaluate((s: string) => document.querySelector(s)?.textContent?.trim() ?? '', selector);

/** Sets a form control's value as typing would (an `input` and a `change` event). */
const setValue = (page: EvaluatingPage, selector: string, value: string) =>
  page.evaluate(
    ([s, v]: [string, string]) => {
      const el = document.querySelector<HTMLInputElement | HTMLSelectElement>(s);
      if (!el) throw new Error(`no element ${s}`);
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [selector, value],
  );

const click = (page: EvaluatingPage, selector: string) =>
  page.evaluate((s: string) => {
    const el = document.querySelector<HTMLElement>(s);
    if (!el) throw new Error(`no element ${s}`);
    el.click();
  }, selector);

const count = (page: EvaluatingPage, selector: string): Promise<number> =>
  page.evaluate((s: string) => document.querySelectorAll(s).length, selector);

/** The switch changes the options page, and the popup opened after it, from English to French and back. */
export async function languageSwitch(driver: Driver): Promise<void> {
  const options = await driver.openPage('options.html');
  // The test browsers run in English: English is the default.
  await expect.poll(() => text(options, 'h1'), POLL).toBe(EN.options.title);
  expect(await text(options, '[data-testid="policies"] h2')).toBe(EN.options.policies);
  await setValue(options, '[data-testid="lang-switch"]', 'fr');
  await expect.poll(() => text(options, 'h1'), POLL).toBe(FR.options.title);
  expect(await text(options, '[data-testid="policies"] h2')).toBe(FR.options.policies);
  expect(await options.evaluate(() => document.documentElement.lang, null)).toBe('fr');
  // The choice is saved: a page opened afterwards starts in French.
  const popup = await driver.openPage('popup.html?tab=999999');
  await expect.poll(() => text(popup, '[data-testid="no-policy"] h2'), POLL).toBe(FR.popup.noPolicyTitle);
  await setValue(popup, '[data-testid="lang-switch"]', 'en');
  await expect.poll(() => text(popup, '[data-testid="no-policy"] h2'), POLL).toBe(EN.popup.noPolicyTitle);
  // Every open page follows the switch.
  await expect.poll(() => text(options, 'h1'), POLL).toBe(EN.options.title);
  await popup.close();
  await options.close();
}

/** Hosts the boutique's page itself loads (scripts and frames), from the fixture file. */
function boutiqueHosts(): Array<{ url: string; type: string }> {
  const html = readFileSync(join(ROOT, 'tests/fixtures/sites/www.example-boutique.fr/index.html'), 'utf8');
  return [...html.matchAll(/<(script|iframe)[^>]*\ssrc="(https:\/\/[^"]+)"/g)].map((m) => ({
    url: m[2]!,
    type: m[1] === 'script' ? 'script' : 'sub_frame',
  }));
}

/** Vendors the page loads whose category needs consent, by the built-in knowledge (the fixture's ground truth). */
export function expectedTrackers(): string[] {
  const kb = createClassifier(builtinKnowledge);
  const dedicated = new Set(ruleMeta('recaptcha-before-consent').vendors ?? []);
  const vendors = boutiqueHosts().flatMap(({ url, type }) => {
    const c = kb.classifyUrl(url, { type, sourceUrl: BOUTIQUE });
    return c?.needsConsent && !dedicated.has(c.vendorId) ? [c.vendorId] : [];
  });
  return [...new Set(vendors)].sort();
}

const trackersOf = (r: AuditReport) =>
  r.findings
    .filter((f) => f.rule === 'tracker-before-consent')
    .map((f) => f.subject.key)
    .sort();

/**
 * A site without a policy: the popup offers to audit it, the audit runs against the law's baseline,
 * and its findings are the consent rules' with legal references only.
 */
export async function baselineAudit(driver: Driver, control: EvaluatingPage): Promise<AuditReport> {
  const site = await driver.openSite(BOUTIQUE);
  void site;
  const tabId = await tabIdOf(control, BOUTIQUE);
  const popup = await driver.openPage(`popup.html?tab=${tabId}`);
  await expect.poll(() => text(popup, '[data-testid="no-policy"] h2'), POLL).toBe(EN.popup.noPolicyTitle);
  await click(popup, '[data-testid="audit-site"]');
  const expected = expectedTrackers();
  expect(expected.length).toBeGreaterThan(2);
  const report = await waitForReport(
    control,
    BOUTIQUE,
    (r) => r.provenance.policy.id === 'baseline' && trackersOf(r).join() === expected.join(),
    40_000,
  );
  assertValidReport(report);
  expect(trackersOf(report)).toEqual(expected);
  // Law only: no rule that judges declarations, no policy clause, and each citation from the catalogue.
  expect(report.findings.filter((f) => POLICY_RULES.includes(f.rule))).toEqual([]);
  expect(report.findings.flatMap((f) => f.policyRefs)).toEqual([]);
  const sources = new Set(Object.values(catalog.legalRefs).map((r) => r.source));
  for (const f of report.findings) {
    if (f.severity !== 'info') expect(f.legalRefs.length).toBeGreaterThan(0);
    for (const ref of f.legalRefs) expect(sources).toContain(ref.source);
  }
  // The popup says so and offers the editor.
  await expect
    .poll(() => text(popup, '[data-testid="baseline-note"]'), POLL)
    .toContain(translate('en', 'popup.baseline'));
  await popup.close();
  return report;
}

const QUOTE = 'Nous utilisons des outils de mesure et des services tiers';

/**
 * The policy editor, from the baseline audit of the boutique: every observed third party and
 * purpose ticked, each given a clause, saved; the next audit of the site is judged against it.
 */
export async function editorPolicyUsed(driver: Driver, control: EvaluatingPage): Promise<void> {
  const tabId = await tabIdOf(control, BOUTIQUE);
  const options = await driver.openPage(`options.html?tab=${tabId}&site=example-boutique.fr#editor`);
  const editor = '[data-testid="policy-editor"]';
  await expect.poll(() => count(options, `${editor} [data-testid="load-audit"]`), POLL).toBe(1);
  await click(options, `${editor} [data-testid="load-audit"]`);
  await expect.poll(() => count(options, '[data-testid="observed-categories"] input'), POLL).toBeGreaterThan(0);
  const observedCategories = await options.evaluate(
    () =>
      [...document.querySelectorAll<HTMLInputElement>('[data-testid="observed-categories"] input')].map(
        (i) => i.dataset.category!,
      ),
    null,
  );
  // Tick every observed third party and purpose: the policy declares them all.
  await options.evaluate(() => {
    for (const box of document.querySelectorAll<HTMLInputElement>(
      '[data-testid="observed-third-parties"] input, [data-testid="observed-categories"] input',
    ))
      box.click();
  }, null);
  await click(options, '[data-testid="add-observed"]');
  await expect
    .poll(() => count(options, '[data-testid="categories"] [data-row]'), POLL)
    .toBe(observedCategories.length);
  await setValue(options, '[data-testid="controller"] [data-field="name"]', 'Boutique Exemple SAS');
  await setValue(options, '[data-testid="controller"] [data-field="section"]', '1');
  await setValue(options, '[data-testid="controller"] [data-field="quote"]', 'Boutique Exemple SAS est responsable');
  // Each item gets its clause; each purpose its words.
  await options.evaluate((quote: string) => {
    const set = (el: HTMLInputElement, v: string) => {
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    };
    for (const row of document.querySelectorAll('[data-testid="policy-editor"] [data-row]')) {
      const purpose = row.querySelector<HTMLInputElement>('[data-field="purpose"]');
      if (purpose) set(purpose, 'finalité déclarée');
      const domains = row.querySelector<HTMLInputElement>('[data-field="domains"]');
      if (domains && !domains.value) set(domains, 'example.org');
      set(row.querySelector<HTMLInputElement>('[data-field="section"]')!, '4');
      set(row.querySelector<HTMLInputElement>('[data-field="quote"]')!, quote);
    }
  }, QUOTE);
  await click(options, '[data-testid="save-policy"]');
  await expect
    .poll(
      () =>
        options.evaluate(
          () =>
            document.querySelector('[data-testid="editor-saved"], [data-testid="editor-errors"]')?.textContent ?? '',
          null,
        ),
      POLL,
    )
    .toBe(translate('en', 'editor.saved' as MessageKey, { id: 'example-boutique.fr', sites: 'example-boutique.fr' }));
  const listing = await ask(options, { type: 'list-imports' });
  expect(listing.policies.find((p) => p.id === 'example-boutique.fr')).toMatchObject({
    origin: 'imported',
    source: 'policy editor',
  });
  // The next audit of the site: a clean one, from the popup.
  const popup = await driver.openPage(`popup.html?tab=${tabId}`);
  await expect.poll(() => count(popup, '[data-testid="baseline-note"]'), POLL).toBe(1);
  await ask(control, { type: 'restart-audit', tabId });
  await control.evaluate((id: number) => {
    const api = (globalThis as any).browser ?? (globalThis as any).chrome;
    return api.tabs.reload(id);
  }, tabId);
  const report = await waitForReport(
    control,
    BOUTIQUE,
    (r) => r.provenance.policy.id === 'example-boutique.fr' && trackersOf(r).length > 0,
    40_000,
  );
  assertValidReport(report);
  // Judged against the written policy: no undeclared purpose, and findings quote its clauses.
  expect(report.findings.filter((f) => f.rule === 'undeclared-category')).toEqual([]);
  expect(report.findings.flatMap((f) => f.policyRefs).map((r) => r.quote)).toContain(QUOTE);
  await popup.close();
  await options.close();
}

/**
 * The policy format page linked from the editor shows docs/policy-format.md as a document: one
 * table per table in the source, one heading per heading, and its anchors lead somewhere.
 */
export async function policyFormatPage(driver: Driver): Promise<void> {
  const source = readFileSync(join(ROOT, 'docs/policy-format.md'), 'utf8').split('\n');
  const tables = source.filter((l) => /^\|\s*-{3}/.test(l)).length;
  const headings = source.filter((l) => /^#{1,6}\s/.test(l)).length;
  const page = await driver.openPage('policy-format.html');
  const doc = '[data-testid="policy-format"]';
  await expect.poll(() => count(page, `${doc} table`), POLL).toBe(tables);
  expect(await count(page, `${doc} :is(h1, h2, h3, h4, h5, h6)`)).toBe(headings);
  expect(await count(page, `${doc} #versions-and-migration`)).toBe(1);
  // No Markdown source is left showing: no table row of pipes, no bold markers.
  expect(await text(page, doc)).not.toMatch(/\|\s*---|\*\*/);
  await page.close();
}
