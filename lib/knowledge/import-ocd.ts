import type { Category } from '../categories';
import { parseCsv, type ImportIssue } from './csv';
import type { KnowledgeBase, NamePattern, Vendor } from './types';

/**
 * Turns the Open Cookie Database CSV (Apache-2.0, github.com/jkwakman/Open-Cookie-Database) into
 * a knowledge base the classifier reads like ours, with source `open-cookie-database`. Users import
 * the file; we do not ship it. A malformed file is refused whole, with the line and column at
 * fault, so a half-read list never replaces a good one.
 */

/** OCD category → ours. OCD has six coarse categories; each maps to the one we judge it by. */
export const OCD_CATEGORY_MAP: Readonly<Record<string, Category>> = {
  Functional: 'functional',
  Necessary: 'strictly-necessary',
  Analytics: 'audience-measurement',
  Marketing: 'advertising',
  Security: 'security',
  Personalization: 'functional',
};

/** Columns we read, by their header name. Description and the rights-portal URL are not needed. */
const COLUMNS = {
  id: 'ID',
  platform: 'Platform',
  category: 'Category',
  name: 'Cookie / Data Key name',
  domain: 'Domain',
  retention: 'Retention period',
  controller: 'Data Controller',
  wildcard: 'Wildcard match',
} as const;

const MAX_ERRORS = 20;
const UNNAMED = 'Unnamed platform (Open Cookie Database)';

export interface OcdStats {
  rows: number;
  vendors: number;
  /** Rows whose name is a prefix (`Wildcard match` 1). */
  prefixes: number;
}

export type OcdParseResult =
  { ok: true; kb: KnowledgeBase; stats: OcdStats; warnings: ImportIssue[] } | { ok: false; errors: ImportIssue[] };

/** Parses the CSV; `sourceName` (the file name) is kept in each entry's reference. Never throws. */
export function parseOpenCookieDatabase(text: string, sourceName = 'open-cookie-database.csv'): OcdParseResult {
  const csv = parseCsv(text);
  if (!csv.ok) return csv;
  const [header, ...rows] = csv.records;
  if (!header) return { ok: false, errors: [{ line: 1, message: 'the file is empty' }] };
  const index: Partial<Record<keyof typeof COLUMNS, number>> = {};
  const errors: ImportIssue[] = [];
  for (const [key, name] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
    const at = header.fields.findIndex((f) => f.trim() === name);
    if (at < 0)
      errors.push({
        line: header.line,
        field: name,
        message: `missing column "${name}": is this the Open Cookie Database CSV?`,
      });
    else index[key] = at;
  }
  if (errors.length) return { ok: false, errors };
  if (!rows.length) return { ok: false, errors: [{ line: header.line, message: 'no rows after the header' }] };

  const warnings: ImportIssue[] = [];
  const byPlatform = new Map<string, { rows: Array<{ pattern: NamePattern; controller: string }> }>();
  const seenIds = new Map<string, number>();
  let prefixes = 0;
  for (const { line, fields } of rows) {
    if (errors.length >= MAX_ERRORS) break;
    if (fields.length !== header.fields.length) {
      errors.push({
        line,
        message: `${fields.length} fields, expected ${header.fields.length} (${header.fields.join(', ')}): check commas and quotes`,
      });
      continue;
    }
    const get = (key: keyof typeof COLUMNS) => fields[index[key]!]!.trim();
    const bad = (key: keyof typeof COLUMNS, message: string) => errors.push({ line, field: COLUMNS[key], message });
    const category = OCD_CATEGORY_MAP[get('category')];
    if (!category)
      bad(
        'category',
        `unknown category "${get('category')}"; expected one of ${Object.keys(OCD_CATEGORY_MAP).join(', ')}`,
      );
    if (!get('name')) bad('name', 'empty cookie or key name');
    // The real file has rows without a platform (generic names such as XSRF-TOKEN): keep them.
    const platform = get('platform') || UNNAMED;
    if (!get('platform'))
      warnings.push({ line, field: COLUMNS.platform, message: `no platform: listed under "${UNNAMED}"` });
    const wildcard = get('wildcard');
    if (wildcard !== '0' && wildcard !== '1' && wildcard !== '') bad('wildcard', `must be 0 or 1, got "${wildcard}"`);
    if (!category || !get('name') || (wildcard !== '0' && wildcard !== '1' && wildcard !== '')) continue;
    const id = get('id');
    if (id && seenIds.has(id))
      warnings.push({ line, field: COLUMNS.id, message: `duplicate ID ${id} (first on line ${seenIds.get(id)})` });
    else if (id) seenIds.set(id, line);
    if (wildcard === '1') prefixes++;
    const lifetimeDays = retentionDays(get('retention'));
    const domain = get('domain');
    const pattern: NamePattern = {
      pattern: get('name'),
      ...(wildcard === '1' ? { match: 'prefix' as const } : {}),
      category,
      ...(lifetimeDays !== undefined ? { lifetimeDays } : {}),
      ref: `${sourceName} line ${line}${id ? `, ID ${id}` : ''}`,
      ...(domain ? { note: `OCD domain: ${domain}` } : {}),
    };
    const entry = byPlatform.get(platform) ?? { rows: [] };
    entry.rows.push({ pattern, controller: get('controller') });
    byPlatform.set(platform, entry);
  }
  if (errors.length) return { ok: false, errors: errors.slice(0, MAX_ERRORS) };
  const vendors = [...byPlatform].map(([platform, { rows: list }], i) => toVendor(platform, list, i));
  return {
    ok: true,
    kb: { formatVersion: 1, version: 'imported', vendors },
    stats: { rows: rows.length, vendors: vendors.length, prefixes },
    warnings,
  };
}

/** One OCD platform as a vendor. Names may be cookies or storage keys: OCD does not say which. */
function toVendor(platform: string, rows: Array<{ pattern: NamePattern; controller: string }>, i: number): Vendor {
  const counts = new Map<Category, number>();
  for (const { pattern } of rows) counts.set(pattern.category!, (counts.get(pattern.category!) ?? 0) + 1);
  const category = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const slug =
    platform
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'platform';
  const patterns = rows.map((r) => r.pattern);
  return {
    id: `ocd-${slug}-${i + 1}`,
    name: platform,
    entity: rows.find((r) => r.controller)?.controller ?? platform,
    country: 'ZZ', // OCD does not give one; ZZ is the "unknown region" code
    category,
    hosts: [],
    cookies: patterns,
    storageKeys: patterns,
  };
}

const UNIT_DAYS: Record<string, number> = { minute: 1 / 1440, hour: 1 / 24, day: 1, week: 7, month: 30.44, year: 365 };

/** "13 months" → 395.7, "session" → 0; undefined when the text gives no duration ("Unknown"). */
export function retentionDays(text: string): number | undefined {
  const t = text.toLowerCase();
  if (/session|browser close/.test(t)) return 0;
  const m = /(\d+(?:[.,]\d+)?)\s*(minute|hour|day|week|month|year)s?/.exec(t);
  if (!m) return undefined;
  return Math.round(Number(m[1]!.replace(',', '.')) * UNIT_DAYS[m[2]!]! * 1000) / 1000;
}
