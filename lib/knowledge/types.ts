import type { Category } from '../categories';

/**
 * How a request URL is recognised as a vendor's. `host` matches the host itself or any subdomain
 * (`google-analytics.com` matches `www.google-analytics.com`). `pathPrefix`, when present, must
 * also match the URL path: it separates services that share a host (reCAPTCHA on `www.google.com`).
 * It matches on a segment boundary: `/tr` matches `/tr` and `/tr/x`, not `/track`; `/recaptcha/`
 * matches anything below it. It never contains a query string.
 */
export interface HostMatcher {
  host: string;
  pathPrefix?: string;
}

/** One query parameter a tracker protocol always sends, with the shape of its value. */
export interface ProtocolParam {
  name: string;
  /** Regular expression the value must match (anchor it: `^G-[A-Z0-9]+$`). */
  pattern: string;
}

/**
 * A tracker's wire protocol, recognised by the URL's shape on any host: a first-party proxy or a
 * server-side tagging endpoint (`metrics.example.fr/g/collect?v=2&tid=G-…`) speaks it too. The path
 * must end with `pathSuffix` (a proxy may mount it under its own prefix) and every `query`
 * parameter must be present with a matching value, so an ordinary `/collect` endpoint is not taken.
 */
export interface Protocol {
  /** Short label shown in `matchedBy`, e.g. `GA4 /g/collect`. */
  name: string;
  /** End of the URL path on a segment boundary, e.g. `/g/collect`; no query string. */
  pathSuffix: string;
  query: ProtocolParam[];
  note?: string;
}

/** A cookie or storage-key name pattern. `exact` is the default. */
export interface NamePattern {
  pattern: string;
  match?: 'exact' | 'prefix' | 'regex';
  /** Where an imported entry comes from (`OCD 256c0fe2-… line 12`); shown in `matchedBy`. */
  ref?: string;
  /** Typical lifetime the vendor sets, in days; 0 for session. Informative. */
  lifetimeDays?: number;
  /** Overrides the vendor category for this one cookie (e.g. a vendor's consent cookie). */
  category?: Category;
  /**
   * Match only when the cookie's domain (or the storage key's origin) is one of the vendor's hosts.
   * For generic names (`uid`, `audit`, `i`) that first-party sites also use.
   */
  onVendorDomain?: boolean;
  /**
   * Match only when the cookie's domain (or the storage key's origin) is one of these registrable
   * domains or their subdomains: for short names a vendor sets on a domain it cannot claim whole
   * (`NID` on google.com, which many services share).
   */
  domains?: string[];
  note?: string;
}

/** One vendor (a service of a legal entity) in the knowledge base. */
export interface Vendor {
  /** Stable kebab-case id, e.g. `google-analytics`. */
  id: string;
  /** Human name of the service. */
  name: string;
  /** Legal entity that receives the data. */
  entity: string;
  /** ISO 3166-1 alpha-2 country of the entity. */
  country: string;
  category: Category;
  /** Overrides CATEGORY_NEEDS_CONSENT for this vendor, with `needsConsentReason`. */
  needsConsent?: boolean;
  needsConsentReason?: string;
  hosts: HostMatcher[];
  cookies?: NamePattern[];
  storageKeys?: NamePattern[];
  /** Wire protocols recognised on any host (first-party proxies, server-side tagging). */
  protocols?: Protocol[];
  /** Where a person can read the public facts this entry was written from. */
  url?: string;
  /** Caveats a reviewer should know (shared hosts, CNAME collection, exemption conditions). */
  note?: string;
}

export interface KnowledgeBase {
  formatVersion: 1;
  /** Date of the last edit, `YYYY-MM-DD`. */
  version: string;
  vendors: Vendor[];
}

/** Why something was classified the way it was: evidence quality for every finding. */
export interface Classification {
  vendorId: string;
  vendorName: string;
  entity: string;
  category: Category;
  needsConsent: boolean;
  /** Which source classified it: built-in knowledge base, an imported list, etc. */
  source: ClassificationSource;
  /** The matcher that matched, e.g. `host google-analytics.com`, `cookie _ga_ (prefix)`, or a filter rule. */
  matchedBy: string;
  /** Which list or file of that source, for imports (`easyprivacy.txt`, `open-cookie-database.csv`). */
  sourceName?: string;
}

export type ClassificationSource = 'builtin-kb' | 'open-cookie-database' | 'filter-list' | 'policy';

/**
 * What is known of a request besides its URL. Filter lists need it: `$third-party`, `$script` and
 * `domain=` options depend on the request type and on the page that made it.
 */
export interface RequestContext {
  /** webRequest resource type (`script`, `xmlhttprequest`, `image`...). */
  type?: string;
  /** URL of the document that made the request. */
  sourceUrl?: string;
}

/**
 * What the engine asks of knowledge: who is behind a request URL, a cookie or a storage key. One
 * knowledge base (`createClassifier`), a filter list (`filterListClassifier`) and a stack of them
 * (`createLayeredClassifier`) all answer it.
 */
export interface Knowledge {
  /**
   * Never throws. `context` helps sources that judge a request by its type and page (filter
   * lists); in a knowledge base the most specific host matcher wins (longest `pathPrefix`, then host).
   */
  classifyUrl(url: string, context?: RequestContext): Classification | undefined;
  /** `domain` is the cookie's Domain attribute or host (a leading dot is ignored). */
  classifyCookie(name: string, domain: string): Classification | undefined;
  /** `origin` is the storage origin (`https://www.example.fr`) or a bare host. */
  classifyStorageKey(key: string, origin?: string): Classification | undefined;
  vendor(id: string): Vendor | undefined;
}
