/**
 * What the popup and the report page must show for the o2toit.com landing audit, in Chromium and
 * Firefox alike: every expectation is computed from the fixture's ground truth (the landing findings,
 * the rule catalog's severities, the fixture's Set-Cookie Max-Age, the browsers' 400-day cap), never
 * copied from the UI's output. Pages are driven through `evaluate`, which Playwright and puppeteer share.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RuleId, Severity } from '../../lib/findings';
import { ruleMeta } from '../../lib/rules/catalog';
import { BROWSER_CAP_DAYS } from '../../lib/engine/lifetime';
import type { EvaluatingPage } from './harness/extension-client';
import { O2TOIT_LANDING_FINDINGS } from './report-helpers';
import { POLL } from './poll';
import en from '../../locales/en.json';
import fr from '../../locales/fr.json';

/** Where screenshots go (gitignored; CI keeps the folder as an artifact). */
export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const ruleOf = (id: string) => id.split(':')[0] as RuleId;
const subjectOf = (id: string) => id.slice(id.indexOf(':') + 1);

/** Counts by severity of the landing findings, from the catalog. */
export function expectedCounts(): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const id of O2TOIT_LANDING_FINDINGS) counts[ruleMeta(ruleOf(id)).severity]++;
  return counts;
}

/** The fixture's `o2_visitor` cookie: `Max-Age=63072000` (scripts/fixture-server/routes.ts), capped by the browser. */
export const VISITOR = { requestedDays: 63_072_000 / 86_400, storedDays: BROWSER_CAP_DAYS };

/** Everything the checks read from a page, in one evaluate. */
interface Shown {
  ready: string | undefined;
  counts: Record<string, number>;
  total: string;
  findings: Array<{ rule: string; subject: string; text: string }>;
  groups: Array<{ key: string; rules: string[] }>;
  summaryRows: number;
  site: string;
}

export function readShown(page: EvaluatingPage): Promise<Shown> {
  return page.evaluate(() => {
    const counts: Record<string, number> = {};
    for (const el of document.querySelectorAll<HTMLElement>('[data-testid^="count-"][data-count]'))
      counts[el.dataset.testid!.slice(6)] = Number(el.dataset.count);
    return {
      ready: document.documentElement.dataset.ready,
      counts,
      total: document.querySelector('[data-testid="count-total"]')?.textContent ?? '',
      findings: [...document.querySelectorAll<HTMLElement>('article.finding')].map((a) => ({
        rule: a.dataset.rule!,
        subject: a.dataset.subject!,
        text: a.textContent ?? '',
      })),
      groups: [...document.querySelectorAll<HTMLElement>('[data-testid="subject-group"]')].map((g) => ({
        key: g.dataset.subjectKey!,
        rules: [...g.querySelectorAll<HTMLElement>('article.finding')].map((a) => a.dataset.rule!),
      })),
      summaryRows: document.querySelectorAll('[data-testid="summary-table"] tbody tr[data-rule]').length,
      site: document.querySelector('[data-testid="site"]')?.textContent ?? '',
    };
  }, undefined);
}

/** Waits until the page shows every landing finding, then checks counts, grouping and evidence. */
export async function checkLandingView(page: EvaluatingPage, ready: 'popup' | 'report'): Promise<void> {
  // Ready when every finding shows and the lifetime evidence carries the stored lifetime: the
  // browser's cookie store confirms it after the Set-Cookie header, so it may come a moment later.
  const lifetimeShown = new RegExp(`requested ${VISITOR.requestedDays} d.*stored ${VISITOR.storedDays} d`, 's');
  await expect
    .poll(async () => {
      const s = await readShown(page);
      if (s.ready !== ready) return -1;
      const cookie = s.findings.find(
        (f) => f.rule === 'cookie-lifetime-exceeds-policy' && f.subject === 'o2_visitor@o2toit.com',
      );
      return lifetimeShown.test(cookie?.text ?? '') ? s.findings.length : -2;
    }, POLL)
    .toBe(O2TOIT_LANDING_FINDINGS.length);
  const shown = await readShown(page);
  expect(shown.site).toBe('o2toit.com');
  expect(shown.counts).toEqual(expectedCounts());
  expect(shown.total).toContain(String(O2TOIT_LANDING_FINDINGS.length));
  expect(shown.findings.map((f) => `${f.rule}:${f.subject}`).sort()).toEqual(O2TOIT_LANDING_FINDINGS);
  expect(shown.summaryRows).toBe(O2TOIT_LANDING_FINDINGS.length);
  // One subject once, with every rule it breaks.
  const subjects = new Set(O2TOIT_LANDING_FINDINGS.map(subjectOf));
  expect(shown.groups.length).toBe(subjects.size);
  const visitorRules = O2TOIT_LANDING_FINDINGS.filter((id) => subjectOf(id) === 'o2_visitor@o2toit.com').map(ruleOf);
  const visitorGroup = shown.groups.find((g) => g.key.endsWith(':o2_visitor@o2toit.com'));
  expect(visitorGroup?.rules.sort()).toEqual(visitorRules.sort());
  // The evidence: requested and stored lifetimes of the fixture's cookie.
  const lifetime = shown.findings.find(
    (f) => f.rule === 'cookie-lifetime-exceeds-policy' && f.subject === 'o2_visitor@o2toit.com',
  );
  expect(lifetime?.text).toMatch(
    new RegExp(`requested ${VISITOR.requestedDays} d.*stored ${VISITOR.storedDays} d`, 's'),
  );
  // Legal references are links; a policy clause is cited in a sentence.
  const recaptcha = shown.findings.find((f) => f.rule === 'recaptcha-before-consent');
  expect(recaptcha?.text).toMatch(/Policy §IX says/);
}

/** The search and the severity filter narrow the findings shown. */
export async function checkFilters(page: EvaluatingPage): Promise<void> {
  const shownCount = () =>
    page.evaluate(() => Number(document.querySelector<HTMLElement>('[data-testid="findings"]')!.dataset.shown), 0);
  await page.evaluate(() => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="search"]')!;
    input.value = 'o2_visitor';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, 0);
  const visitor = O2TOIT_LANDING_FINDINGS.filter((id) => id.includes('o2_visitor')).length;
  await expect.poll(shownCount, POLL).toBe(visitor);
  await page.evaluate(() => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="search"]')!;
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    document.querySelector<HTMLInputElement>('[data-testid="filter-high"]')!.click();
  }, 0);
  await expect.poll(shownCount, POLL).toBe(O2TOIT_LANDING_FINDINGS.length - expectedCounts().high);
  await page.evaluate(() => document.querySelector<HTMLInputElement>('[data-testid="filter-high"]')!.click(), 0);
  await expect.poll(shownCount, POLL).toBe(O2TOIT_LANDING_FINDINGS.length);
}

/** The toolbar badge of the tab, as the extension set it. */
export function badgeText(control: EvaluatingPage, tabId: number): Promise<string> {
  return control.evaluate(async (id: number) => {
    const api = (globalThis as any).browser ?? (globalThis as any).chrome;
    return api.action.getBadgeText({ tabId: id });
  }, tabId);
}

/** The report page's tables and timeline: fixture cookies present, lifetimes shown, timeline drawn. */
export async function checkReportPage(page: EvaluatingPage): Promise<void> {
  const timeline = await page.evaluate(() => {
    const fig = document.querySelector<HTMLElement>('[data-testid="timeline"]')!;
    const canvas = fig.querySelector('canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return { bars: Number(fig.dataset.bars), total: Number(fig.dataset.total), painted };
  }, 0);
  expect(timeline.bars).toBeGreaterThan(0);
  expect(timeline.total).toBeGreaterThan(0);
  expect(timeline.painted).toBeGreaterThan(0);
  // Every cookie the fixture's landing page sets is in the cookies table.
  for (const name of ['PHPSESSID', 'o2_pref', 'o2_ui', 'o2_visitor', 'o2_js_id', '_ga', '_fbp']) {
    await searchTable(page, 'cookies-table', name);
    await expect.poll(() => tableShown(page, 'cookies-table'), POLL).toBeGreaterThan(0);
  }
  await searchTable(page, 'cookies-table', 'o2_visitor');
  await expect
    .poll(
      () => page.evaluate(() => document.querySelector('[data-testid="cookies-table"] tbody')!.textContent, 0),
      POLL,
    )
    .toMatch(
      new RegExp(
        `${VISITOR.requestedDays} d[\\s\\S]*${VISITOR.storedDays} d|${VISITOR.storedDays} d[\\s\\S]*${VISITOR.requestedDays} d`,
      ),
    );
  await searchTable(page, 'cookies-table', '');
  const provenance = await page.evaluate(
    () => document.querySelector('[data-testid="provenance"]')?.textContent ?? '',
    0,
  );
  expect(provenance).toMatch(/o2toit\.com/);
}

export function searchTable(page: EvaluatingPage, table: string, text: string): Promise<unknown> {
  return page.evaluate(
    ({ table, text }: { table: string; text: string }) => {
      const input = document.querySelector<HTMLInputElement>(`[data-testid="${table}-search"]`)!;
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    { table, text },
  );
}

export function tableShown(page: EvaluatingPage, table: string): Promise<number> {
  return page.evaluate(
    (t: string) => Number(document.querySelector<HTMLElement>(`[data-testid="${t}-count"]`)!.dataset.shown),
    table,
  );
}

/** Headings never skip a level, every form control has a label, and severity is written as text. */
export async function checkAccessibility(page: EvaluatingPage): Promise<void> {
  const a11y = await page.evaluate(() => {
    const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]));
    const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1]! + 1).length;
    const unlabelled = [...document.querySelectorAll<HTMLElement>('input, select, button')]
      .filter((el) => !el.closest('label') && !el.getAttribute('aria-label') && !(el.textContent ?? '').trim())
      .map((el) => el.outerHTML.slice(0, 80));
    const severities = [...document.querySelectorAll('.sev')].map((el) => (el.textContent ?? '').trim());
    const smallest = Math.min(
      ...[...document.querySelectorAll<HTMLElement>('article.finding, article.finding *')].map((el) =>
        parseFloat(getComputedStyle(el).fontSize),
      ),
    );
    return { first: levels[0], skips, unlabelled, severities, smallest };
  }, 0);
  expect(a11y.first).toBe(1);
  expect(a11y.skips).toBe(0);
  expect(a11y.unlabelled).toEqual([]);
  expect(a11y.severities.every((s: string) => /^\d*\s*(high|medium|low|info)$/.test(s))).toBe(true);
  expect(a11y.smallest).toBeGreaterThanOrEqual(12);
}

export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * Switches the interface language (saved in storage.local, followed by every open page) and waits
 * until the page shows the summary heading of that language's message file.
 */
export async function switchLanguage(page: EvaluatingPage, lang: Lang): Promise<void> {
  await page.evaluate(async (l: string) => {
    await browser.storage.local.set({ 'ui:lang': l });
  }, lang);
  const expected = (lang === 'fr' ? fr : en).ui.summary;
  await expect
    .poll(() => page.evaluate(() => document.querySelector('#summary-heading')?.textContent ?? '', 0), POLL)
    .toBe(expected);
}

/** The page's background luminance (0 black … 1 white): the theme actually applied. */
export function backgroundLuminance(page: EvaluatingPage): Promise<number> {
  return page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.documentElement).backgroundColor.match(/\d+/g)!.map(Number);
    return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
  }, 0);
}
