/**
 * What the exports of the o2toit landing audit must contain, for Chromium and Firefox alike,
 * computed from the fixture's ground truth (report-helpers' O2TOIT_LANDING_FINDINGS and the
 * lifetimes the fixture's cookies ask for), not from the exports themselves.
 */
import { expect } from 'vitest';
import { parseCsv } from '../unit/csv-parse';
import { O2TOIT_LANDING_FINDINGS } from './report-helpers';

/** The finding the tests mark, and the mark they give it (the French export's words). */
export const MARKED = {
  id: 'cookie-lifetime-exceeds-policy:o2_visitor@o2toit.com',
  status: 'false-positive' as const,
  statusFr: 'faux positif',
  reviewer: 'Léa Martin',
  note: 'Durée acceptée par le DPO, "à revoir", 2026',
};

/** Cookies of the landing page and what the fixture asks for them (tests/fixtures/sites/www.o2toit.com). */
const COOKIES: Array<{ key: string; requested?: number; stored?: number; party: string }> = [
  { key: 'o2_visitor@o2toit.com', requested: 730, stored: 400, party: 'première partie' },
  { key: 'o2_js_id@www.o2toit.com', requested: 1825, stored: 400, party: 'première partie' },
  { key: '_ga@o2toit.com', requested: 730, stored: 400, party: 'première partie' },
  { key: '_GRECAPTCHA@www.google.com', party: 'tierce partie' },
  { key: 'PHPSESSID@www.o2toit.com', party: 'première partie' },
];

/** findings.csv (French): one row per landing finding, and the mark on MARKED. */
export function checkFindingsCsv(text: string, marked: boolean): void {
  const [header, ...rows] = parseCsv(text);
  expect(header!.slice(0, 3)).toEqual(['Id', 'Gravité', 'Règle']);
  expect(rows.map((r) => r[0]).sort()).toEqual(O2TOIT_LANDING_FINDINGS);
  const row = rows.find((r) => r[0] === MARKED.id)!;
  expect(row.slice(13, 16)).toEqual(marked ? [MARKED.statusFr, MARKED.reviewer, MARKED.note] : ['', '', '']);
  for (const r of rows.filter((x) => x[0] !== MARKED.id)) expect(r[13]).toBe('');
  expect(rows.find((r) => r[0] === 'recaptcha-before-consent:google-recaptcha')![1]).toBe('élevée');
}

/** cookies.csv (French): the landing cookies with the lifetimes the fixture asks for and the browser stores. */
export function checkCookiesCsv(text: string): void {
  const [header, ...rows] = parseCsv(text);
  expect(header!.slice(0, 2)).toEqual(['Nom', 'Domaine']);
  const byKey = new Map(rows.map((r) => [`${r[0]}@${r[1]}`, r]));
  expect(byKey.size).toBe(rows.length); // one row per cookie (one scenario)
  for (const c of COOKIES) {
    const row = byKey.get(c.key);
    expect(row, c.key).toBeDefined();
    expect(row![4], `${c.key} party`).toBe(c.party);
    if (c.requested !== undefined) expect(Math.round(Number(row![10])), `${c.key} requested`).toBe(c.requested);
    if (c.stored !== undefined) expect(Math.round(Number(row![11])), `${c.key} stored`).toBe(c.stored);
  }
  expect(byKey.get('PHPSESSID@www.o2toit.com')![9]).toBe('oui'); // a session cookie
  // Its findings are named on the cookie's row.
  expect(byKey.get('o2_visitor@o2toit.com')![13]!.split(' ').sort()).toEqual([
    'cookie-lifetime-exceeds-policy:o2_visitor@o2toit.com',
    'unclassified-cookie:o2_visitor@o2toit.com',
  ]);
}

/** What the HTML file shows once opened: read from its DOM (`evaluate` in the opened page). */
export interface HtmlView {
  findings: string[];
  review: string | null;
  scripts: number;
  /** Resources the page loaded besides itself (images, styles, fonts...). */
  resources: number;
  high: string | null;
  title: string;
}

/** Runs in the page that opened the HTML file. */
export const readHtmlView = (markedId: string): HtmlView => ({
  findings: [...document.querySelectorAll('article.finding')].map((a) => a.getAttribute('data-finding') ?? ''),
  review:
    [...document.querySelectorAll('article.finding')]
      .find((a) => a.getAttribute('data-finding') === markedId)
      ?.querySelector('.review')
      ?.getAttribute('data-review') ?? null,
  scripts: document.querySelectorAll('script').length,
  resources: performance.getEntriesByType('resource').length,
  high: document.querySelector('td[data-severity="high"]')?.textContent ?? null,
  title: document.title,
});

export function checkHtmlView(view: HtmlView, highCount: number): void {
  expect([...view.findings].sort()).toEqual(O2TOIT_LANDING_FINDINGS);
  expect(view.review).toBe(MARKED.status);
  expect(view.scripts).toBe(0);
  expect(view.resources).toBe(0);
  expect(view.high?.trim()).toBe(String(highCount));
  expect(view.title).toBe("Rapport d'audit du consentement: o2toit.com");
}
