import { CATEGORY_NEEDS_CONSENT, type Category } from '../categories';
import { hostOf as hostOfUrl } from '../site';
import { ProtocolIndex } from './protocols';
import type { Classification, HostMatcher, Knowledge, KnowledgeBase, NamePattern, Vendor } from './types';
import data from './data/vendors.json';

/**
 * The knowledge base shipped with the extension, written by us from public facts.
 * The JSON is checked against `lib/schema/knowledge.schema.json` by `scripts/lint-data.ts` and the
 * unit tests, so the cast only narrows what TypeScript infers from the literal file.
 */
export const builtinKnowledge = data as unknown as KnowledgeBase;

/**
 * Whether something of `category` from `vendor` needs consent. The vendor's `needsConsent`
 * override speaks about its own category only: a cookie that carries its own category (a
 * vendor's consent-choice cookie, a CDN's load-balancing cookie) is judged by that category.
 */
export function needsConsent(vendor: Vendor, category: Category = vendor.category): boolean {
  if (category === vendor.category && vendor.needsConsent !== undefined) return vendor.needsConsent;
  return CATEGORY_NEEDS_CONSENT[category];
}

interface HostEntry {
  vendor: Vendor;
  matcher: HostMatcher;
}

interface NameEntry {
  vendor: Vendor;
  pattern: NamePattern;
  regex?: RegExp;
}

/** Path prefixes match on a segment boundary, so `/tr` (Meta pixel) does not swallow `/translate`. */
function pathMatches(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  return prefix.endsWith('/') || path.length === prefix.length || path[prefix.length] === '/';
}

function normaliseHost(host: string): string {
  // Most hosts (every URL's hostname) are already normal: lower case, and at either end an ASCII
  // character that is neither a dot nor a space (codes 47 to 127), so there is nothing to trim.
  const first = host.charCodeAt(0);
  const last = host.charCodeAt(host.length - 1);
  if (first > 46 && first < 128 && last > 46 && last < 128 && host === host.toLowerCase()) return host;
  return host.trim().toLowerCase().replace(/^\.+/, '').replace(/\.+$/, '');
}

/** A bare host, or the host of an origin/URL; undefined when there is none. */
function hostIn(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return normaliseHost(value.includes('://') ? hostOfUrl(value) : value) || undefined;
}

/**
 * Whether a cookie domain belongs to the vendor. Either side may be the parent: a cookie on
 * `.google.com` reaches `www.google.com`, and one on `bat.bing.com` is under `bing.com`.
 */
function vendorOwns(vendor: Vendor, host: string): boolean {
  return vendor.hosts.some((matcher) => {
    const h = normaliseHost(matcher.host);
    return host === h || host.endsWith(`.${h}`) || h.endsWith(`.${host}`);
  });
}

/**
 * One index per kind of name (cookies, storage keys). Exact names are a Map lookup; prefixes are
 * kept longest first; regexes are compiled once. A regex that does not compile is skipped here
 * (the data tests reject it) so that one bad imported entry cannot break classification.
 */
class NameIndex {
  private readonly exact = new Map<string, NameEntry[]>();
  private readonly prefixes: NameEntry[] = [];
  private readonly regexes: NameEntry[] = [];

  add(vendor: Vendor, pattern: NamePattern): void {
    const entry: NameEntry = { vendor, pattern };
    if (pattern.match === 'prefix') this.prefixes.push(entry);
    else if (pattern.match === 'regex') {
      try {
        this.regexes.push({ ...entry, regex: new RegExp(pattern.pattern) });
      } catch {
        // Invalid pattern: ignored at run time, reported by tests and lint-data.
      }
    } else {
      const list = this.exact.get(pattern.pattern) ?? [];
      list.push(entry);
      this.exact.set(pattern.pattern, list);
    }
  }

  /** Call once after the last `add`. */
  seal(): void {
    this.prefixes.sort((a, b) => b.pattern.pattern.length - a.pattern.pattern.length);
  }

  lookup(name: string, host: string | undefined): NameEntry | undefined {
    const exact = pick(this.exact.get(name) ?? [], host);
    if (exact) return exact;
    // Longest prefix first; equal-length prefixes compete through pick().
    for (let i = 0; i < this.prefixes.length;) {
      const length = this.prefixes[i]!.pattern.pattern.length;
      const group: NameEntry[] = [];
      for (; i < this.prefixes.length && this.prefixes[i]!.pattern.pattern.length === length; i++) {
        if (name.startsWith(this.prefixes[i]!.pattern.pattern)) group.push(this.prefixes[i]!);
      }
      const found = pick(group, host);
      if (found) return found;
    }
    return pick(
      this.regexes.filter((e) => e.regex!.test(name)),
      host,
    );
  }
}

/** Whether a pattern's own `domains` list covers the host (a subdomain, or the domain itself). */
function inDomains(domains: readonly string[], host: string): boolean {
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** Among entries for the same name, drop domain-scoped ones that do not apply, prefer the owner. */
function pick(entries: NameEntry[], host: string | undefined): NameEntry | undefined {
  if (entries.length === 0) return undefined;
  const owns = (e: NameEntry) =>
    e.pattern.domains ? inDomains(e.pattern.domains, host!) : vendorOwns(e.vendor, host!);
  const owned = host ? entries.filter(owns) : [];
  return owned[0] ?? entries.find((e) => !e.pattern.onVendorDomain && !e.pattern.domains);
}

function classification(
  vendor: Vendor,
  category: Category,
  source: Classification['source'],
  matchedBy: string,
  sourceName: string | undefined,
): Classification {
  return {
    vendorId: vendor.id,
    vendorName: vendor.name,
    entity: vendor.entity,
    category,
    needsConsent: needsConsent(vendor, category),
    source,
    matchedBy,
    ...(sourceName ? { sourceName } : {}),
  };
}

/**
 * Builds a classifier over `kb`. Hosts are indexed by exact host, and a request host is resolved by
 * walking its suffixes (a.b.c.d, b.c.d, c.d, d): a handful of Map lookups per request, whatever
 * the size of the base, which matters because every request of an audit goes through here.
 */
export function createClassifier(
  kb: KnowledgeBase,
  source: Classification['source'] = 'builtin-kb',
  sourceName?: string,
): Knowledge {
  const byHost = new Map<string, HostEntry[]>();
  const byId = new Map<string, Vendor>();
  const cookies = new NameIndex();
  const storage = new NameIndex();
  const protocols = new ProtocolIndex();

  for (const vendor of kb.vendors) {
    if (!byId.has(vendor.id)) byId.set(vendor.id, vendor);
    for (const matcher of vendor.hosts) {
      const host = normaliseHost(matcher.host);
      const list = byHost.get(host) ?? [];
      list.push({ vendor, matcher });
      byHost.set(host, list);
    }
    for (const pattern of vendor.cookies ?? []) cookies.add(vendor, pattern);
    for (const pattern of vendor.storageKeys ?? []) storage.add(vendor, pattern);
    for (const protocol of vendor.protocols ?? []) protocols.add(vendor, protocol);
  }
  cookies.seal();
  storage.seal();

  const fromName = (entry: NameEntry | undefined, label: string) => {
    if (!entry) return undefined;
    const { vendor, pattern } = entry;
    const how = `${label} ${pattern.pattern} (${pattern.match ?? 'exact'})${pattern.ref ? `, ${pattern.ref}` : ''}`;
    return classification(vendor, pattern.category ?? vendor.category, source, how, sourceName);
  };

  return {
    classifyUrl(url, context) {
      let parsed: URL;
      try {
        parsed = new URL(url); // one parse (`URL.canParse` first would be a second)
      } catch {
        return undefined;
      }
      const host = normaliseHost(parsed.hostname);
      if (!host) return undefined;
      let best: HostEntry | undefined;
      // Longer hosts come first, so on equal path prefixes the first match is the most specific.
      for (let h: string | undefined = host; h;) {
        for (const entry of byHost.get(h) ?? []) {
          const prefix = entry.matcher.pathPrefix;
          if (prefix && !pathMatches(parsed.pathname, prefix)) continue;
          if (!best || (prefix?.length ?? 0) > (best.matcher.pathPrefix?.length ?? 0)) best = entry;
        }
        const dot = h.indexOf('.');
        h = dot < 0 ? undefined : h.slice(dot + 1);
      }
      // A tracker's protocol on a host that is not the tracker's (a first-party proxy, server-side
      // tagging, a CDN) is the tracker's: the host alone would call it the site or a CDN.
      if (protocols.size && (!best || !needsConsent(best.vendor))) {
        const shape = protocols.match(parsed, host, context?.sourceUrl);
        if (shape) {
          const c = classification(shape.vendor, shape.vendor.category, source, shape.matchedBy, sourceName);
          return { ...c, vendorName: shape.vendorName };
        }
      }
      if (!best) return undefined;
      const { vendor, matcher } = best;
      const how = `host ${matcher.host}${matcher.pathPrefix ? ` path ${matcher.pathPrefix}` : ''}`;
      return classification(vendor, vendor.category, source, how, sourceName);
    },
    classifyCookie: (name, domain) => fromName(cookies.lookup(name, hostIn(domain)), 'cookie'),
    classifyStorageKey: (key, origin) => fromName(storage.lookup(key, hostIn(origin)), 'storage key'),
    vendor: (id) => byId.get(id),
  };
}
