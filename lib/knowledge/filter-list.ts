import { detectFilterType, FiltersEngine, NetworkFilter, Request } from '@ghostery/adblocker';
import type { Category } from '../categories';
import { CATEGORY_NEEDS_CONSENT } from '../categories';
import type { Knowledge } from './types';
import { siteOf } from '../site';
import type { ImportIssue } from './csv';
import type { Classification, RequestContext } from './types';

/**
 * EasyPrivacy-style filter lists (Adblock Plus syntax) as a knowledge source: a request a list
 * would block is a tracker. Matching is `@ghostery/adblocker`'s, so `$third-party`, `domain=`,
 * request types and `@@` exceptions behave as in an ad blocker. A match says "tracker", not whose:
 * the vendor is the request's registrable domain, and `matchedBy` is the rule text.
 */

/** FilterType values of @ghostery/adblocker (a `const enum`, which isolated builds cannot import). */
const NETWORK = 1;
const COSMETIC = 2;
const NOT_SUPPORTED = 0;

const MAX_ERRORS = 20;
const CACHE_LIMIT = 10_000;

export interface FilterListOptions {
  /** File or list name, shown as `sourceName`. */
  name: string;
  /** Category of a match; EasyPrivacy lists trackers of audience and behaviour, hence the default. */
  category?: Category;
}

export interface FilterListStats {
  lines: number;
  networkFilters: number;
  exceptions: number;
  /** Element-hiding rules: meaningless for classifying requests, ignored. */
  cosmeticIgnored: number;
  /** Valid-looking rules the matcher does not support (`$rewrite`, `$method`...), skipped. */
  unsupported: number;
}

export type FilterListResult =
  | { ok: true; classifier: Knowledge; stats: FilterListStats; title?: string; warnings: ImportIssue[] }
  | { ok: false; errors: ImportIssue[] };

/**
 * Checks a list line by line, then makes its classifier. Refuses text that is not a filter list
 * (HTML, JSON, CSV: lines with spaces in the URL pattern) with the lines at fault. Never throws.
 */
export function parseFilterList(text: string, options: FilterListOptions | string): FilterListResult {
  const opts = typeof options === 'string' ? { name: options } : options;
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const stats: FilterListStats = { lines: 0, networkFilters: 0, exceptions: 0, cosmeticIgnored: 0, unsupported: 0 };
  let title: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  stats.lines = lines.length;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    const at = i + 1;
    if (!line || line.startsWith('!') || (at === 1 && /^\[Adblock/i.test(line))) {
      title ??= /^!\s*Title:\s*(.+)$/i.exec(line)?.[1]?.trim();
      continue;
    }
    const type = detectFilterType(line);
    if (type === COSMETIC) {
      stats.cosmeticIgnored++;
      continue;
    }
    const problem = type === NETWORK || type === NOT_SUPPORTED ? notAFilter(line) : undefined;
    if (problem) {
      if (errors.length < MAX_ERRORS) errors.push({ line: at, message: `${problem}: ${line.slice(0, 120)}` });
      else if (errors.length === MAX_ERRORS)
        errors.push({ line: at, message: 'more lines are not filters; stopped here' });
      continue;
    }
    if (type !== NETWORK || !NetworkFilter.parse(line)) {
      stats.unsupported++;
      if (warnings.length < MAX_ERRORS)
        warnings.push({ line: at, message: `not supported by the matcher, skipped: ${line.slice(0, 120)}` });
      continue;
    }
    stats.networkFilters++;
    if (line.startsWith('@@')) stats.exceptions++;
  }
  if (errors.length) return { ok: false, errors };
  if (stats.networkFilters === stats.exceptions) {
    return {
      ok: false,
      errors: [{ line: 1, message: 'no blocking network filter found: is this an Adblock Plus / EasyPrivacy list?' }],
    };
  }
  return { ok: true, classifier: filterListClassifier(text, opts), stats, ...(title ? { title } : {}), warnings };
}

/** Why a line cannot be a network filter, or undefined. Spaces never occur in a URL pattern. */
function notAFilter(line: string): string | undefined {
  if (/^<|^\{|^"|^[[{]\s*"/.test(line)) return 'looks like HTML or JSON, not a filter';
  const dollar = line.indexOf('$');
  const pattern = dollar >= 0 ? line.slice(0, dollar) : line;
  if (/\s/.test(pattern)) return 'not a filter (a URL pattern has no spaces)';
  // Commas occur in filters only inside /regex/ quantifiers; two or more make a CSV row.
  if (!/^@*\/.*\/$/.test(pattern) && (pattern.match(/,/g)?.length ?? 0) >= 2)
    return 'looks like a CSV row, not a filter';
  return undefined;
}

/**
 * A classifier over a list already checked (or stored after a check). The engine is built on the
 * first request classified, not at load: building EasyPrivacy takes most of a second, and the
 * background often wakes only to record events.
 */
export function filterListClassifier(text: string, options: FilterListOptions): Knowledge {
  const category = options.category ?? 'audience-measurement';
  let engine: FiltersEngine | undefined;
  let lineOf: Map<string, number> | undefined;
  const cache = new Map<string, Classification | null>();
  const build = () => {
    // enableOptimizations off: optimised filters are fused, and we want each rule's own text.
    engine = FiltersEngine.parse(text, { debug: true, enableOptimizations: false, loadCosmeticFilters: false });
    lineOf = new Map();
    text.split(/\r?\n/).forEach((l, i) => lineOf!.has(l.trim()) || lineOf!.set(l.trim(), i + 1));
    return engine;
  };
  return {
    classifyUrl(url: string, context: RequestContext = {}) {
      if (context.type === 'main_frame' || !/^(https?|wss?):/i.test(url)) return undefined;
      const key = `${context.type ?? ''} ${context.sourceUrl ?? ''} ${url}`;
      const cached = cache.get(key);
      if (cached !== undefined) return cached ?? undefined;
      const request = Request.fromRawDetails({
        url,
        sourceUrl: context.sourceUrl ?? '',
        type: (context.type ?? 'other') as never,
      });
      const { match, filter } = (engine ?? build()).match(request);
      const rule = filter ? ((filter as unknown as { rawLine?: string }).rawLine ?? filter.toString()) : undefined;
      const site = siteOf(url);
      const result: Classification | null =
        match && rule
          ? {
              vendorId: site,
              vendorName: site,
              entity: `unknown (${site}, listed by ${options.name})`,
              category,
              needsConsent: CATEGORY_NEEDS_CONSENT[category],
              source: 'filter-list',
              matchedBy: rule,
              sourceName: `${options.name} line ${lineOf!.get(rule) ?? '?'}`,
            }
          : null;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, result);
      return result ?? undefined;
    },
    classifyCookie: () => undefined,
    classifyStorageKey: () => undefined,
    vendor: () => undefined,
  };
}
