import { isThirdParty } from '../site';
import type { Protocol, Vendor } from './types';

interface ProtocolEntry {
  vendor: Vendor;
  protocol: Protocol;
  params: Array<{ name: string; regex: RegExp }>;
}

/** A tracker protocol recognised in a URL, and how to say it. */
export interface ProtocolMatch {
  vendor: Vendor;
  /** `url-shape: GA4 /g/collect via a first-party proxy (metrics.example.fr)`. */
  matchedBy: string;
  /** `Google Analytics (via a first-party proxy)`. */
  vendorName: string;
}

/** The last path segment, a trailing slash ignored: `/a/g/collect` → `collect`, `/tr/` → `tr`. */
function lastSegment(path: string): string {
  const end = path.length > 1 && path.endsWith('/') ? path.length - 1 : path.length;
  return path.slice(path.lastIndexOf('/', end - 1) + 1, end);
}

/**
 * Tracker protocols by URL shape, on any host. Indexed by the last segment of their path suffix, so
 * the common case (a request whose path ends in anything else) is one Map miss; the suffix and the
 * query parameters' regexes are tried only for candidates. A regex that does not compile drops its
 * protocol (lint-data and the unit tests reject it).
 */
export class ProtocolIndex {
  private readonly bySegment = new Map<string, ProtocolEntry[]>();

  add(vendor: Vendor, protocol: Protocol): void {
    let params: ProtocolEntry['params'];
    try {
      params = protocol.query.map((q) => ({ name: q.name, regex: new RegExp(q.pattern) }));
    } catch {
      return;
    }
    const segment = lastSegment(protocol.pathSuffix);
    const list = this.bySegment.get(segment) ?? [];
    list.push({ vendor, protocol, params });
    // Longest suffix first: `/j/collect` is more specific than `/collect`.
    list.sort((a, b) => b.protocol.pathSuffix.length - a.protocol.pathSuffix.length);
    this.bySegment.set(segment, list);
  }

  get size(): number {
    return this.bySegment.size;
  }

  /**
   * The protocol `url` speaks, if any. `sourceUrl` is the page that made the request: when the
   * request's host is of the same site, the tracker is reached through a first-party proxy.
   */
  match(url: URL, host: string, sourceUrl: string | undefined): ProtocolMatch | undefined {
    const candidates = this.bySegment.get(lastSegment(url.pathname));
    if (!candidates) return undefined;
    const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    const found = candidates.find(
      ({ protocol, params }) =>
        path.endsWith(protocol.pathSuffix) &&
        params.every(({ name, regex }) => {
          const value = url.searchParams.get(name);
          return value !== null && regex.test(value);
        }),
    );
    if (!found) return undefined;
    const firstParty = sourceUrl !== undefined && !isThirdParty(host, sourceUrl);
    const via = firstParty ? 'a first-party proxy' : 'a proxy';
    return {
      vendor: found.vendor,
      matchedBy: `url-shape: ${found.protocol.name} via ${via} (${host})`,
      vendorName: `${found.vendor.name} (via ${via})`,
    };
  }
}
