/**
 * The report page's tables as rows: cookies (requested and stored lifetime, party, category,
 * setter, phase), storage writes and requests, each row a flat record of what is shown, so one
 * sort, filter and search serves every table. Pure.
 */
import type { Category } from '../categories';
import type { AuditReport } from './types';

const DAY = 86_400_000;

export interface CookieRow {
  seq: number;
  time: number;
  name: string;
  domain: string;
  action: string;
  requestedDays: number | null; // null: session cookie, or no requested expiry seen
  storedDays: number | null;
  party: 'first' | 'third';
  category: string;
  setter: string;
  phase: string;
}

export interface StorageRow {
  seq: number;
  time: number;
  area: string;
  action: string;
  key: string;
  origin: string;
  setter: string;
  phase: string;
}

export interface RequestRow {
  seq: number;
  time: number;
  method: string;
  type: string;
  host: string;
  party: 'first' | 'third';
  url: string;
  phase: string;
}

const days = (from: number, to: number | undefined) =>
  to === undefined ? null : Math.round(((to - from) / DAY) * 10) / 10;

/** The site a cookie domain belongs to, for first/third party: the audited site or one of its subdomains. */
const isFirstParty = (domain: string, site: string) => domain === site || domain.endsWith(`.${site}`);

/**
 * Cookie rows; the category comes from the findings about the cookie, then from `classify` (the
 * built-in knowledge), else it stays empty.
 */
export function cookieRows(
  report: Pick<AuditReport, 'observations' | 'findings' | 'provenance'>,
  classify?: (name: string, domain: string) => Category | undefined,
): CookieRow[] {
  const known = new Map<string, string>();
  for (const f of report.findings) if (f.subject.kind === 'cookie' && f.category) known.set(f.subject.key, f.category);
  const site = report.provenance.site;
  const memo = new Map<string, string>();
  const categoryOf = (name: string, domain: string) => {
    const key = `${name}@${domain}`;
    let c = memo.get(key);
    if (c === undefined) {
      c = known.get(key) ?? classify?.(name, domain) ?? '';
      memo.set(key, c);
    }
    return c;
  };
  return report.observations.cookies.map((c) => ({
    seq: c.seq,
    time: c.time,
    name: c.name,
    domain: c.domain,
    action: c.action,
    requestedDays: c.session ? null : days(c.time, c.requestedExpiry),
    storedDays: c.session ? null : days(c.time, c.effectiveExpiry),
    party: isFirstParty(c.domain, site) ? 'first' : 'third',
    category: categoryOf(c.name, c.domain),
    setter: c.initiator ? `${c.via} · ${c.initiator}` : c.via,
    phase: c.phase,
  }));
}

export function storageRows(report: Pick<AuditReport, 'observations'>): StorageRow[] {
  return report.observations.storage.map((s) => ({
    seq: s.seq,
    time: s.time,
    area: s.area,
    action: s.action,
    key: s.key,
    origin: s.origin,
    setter: s.initiator ?? '',
    phase: s.phase,
  }));
}

export function requestRows(report: Pick<AuditReport, 'observations'>): RequestRow[] {
  return report.observations.requests.map((r) => ({
    seq: r.seq,
    time: r.time,
    method: r.method,
    type: r.type,
    host: r.host,
    party: r.thirdParty ? 'third' : 'first',
    url: r.url,
    phase: r.phase,
  }));
}

export interface TableQuery<R> {
  sortBy: keyof R & string;
  descending: boolean;
  phase: string;
  search: string;
}

/** Rows filtered by phase and by a case-insensitive search over every text field, then sorted (stable). */
export function queryRows<R extends { phase: string; seq: number }>(rows: readonly R[], q: TableQuery<R>): R[] {
  const needle = q.search.trim().toLowerCase();
  const out = rows.filter((r) => {
    if (q.phase && r.phase !== q.phase) return false;
    if (!needle) return true;
    for (const v of Object.values(r)) if (typeof v === 'string' && v.toLowerCase().includes(needle)) return true;
    return false;
  });
  const dir = q.descending ? -1 : 1;
  const key = q.sortBy;
  // The default order (by seq, ascending) is usually the recorded order already: no sort needed.
  if (key === 'seq' && !q.descending && out.every((r, i) => i === 0 || out[i - 1]!.seq < r.seq)) return out;
  return out.sort((a, b) => {
    const x = a[key] as unknown;
    const y = b[key] as unknown;
    if (x === y) return a.seq - b.seq;
    if (x === null || x === undefined || x === '') return 1; // empty last, whatever the direction
    if (y === null || y === undefined || y === '') return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c * dir || a.seq - b.seq;
  });
}
