import type { Observation } from '../observations';
import { hostMatches, hostOf, siteOf } from '../site';
import { needsConsent } from './classify';
import type { Classification, Knowledge } from './types';
import data from './data/cloaking.json';

/**
 * CNAME cloaking: a first-party subdomain (`metrics.example.fr`) whose DNS name is an alias of a
 * tracker's host (`example.eulerian.net`). Requests to it, and the cookies it sets on the site's
 * own domain, pass for the site's: the browser's third-party cookie protections do not apply, and a
 * host list calls them first party. Two ways to see through it:
 * - the canonical name, where the browser can resolve one (Firefox's `dns.resolve`, recorded as
 *   `dns` observations by entrypoints/background/cname-resolver.ts), judged against the known
 *   set-ups below and then against the whole knowledge base;
 * - elsewhere (Chromium has no DNS API), the request shapes of set-ups known to be deployed
 *   behind CNAMEs (an Adobe `/b/ss/` hit on the site's own host).
 */

/** A tracker's known first-party (CNAME) set-up: lib/knowledge/data/cloaking.json. */
export interface CloakingSetup {
  /** Vendor id in the knowledge base. */
  vendor: string;
  /** Registrable domains or hosts a cloaked subdomain's canonical name falls under. */
  canonicalDomains: string[];
  /** Request paths (regular expressions) that only this vendor's collection uses, on any host of the site. */
  shapes?: Array<{ name: string; path: string }>;
  note?: string;
}

export interface CloakingList {
  formatVersion: 1;
  version: string;
  sources: string[];
  setups: CloakingSetup[];
}

export const builtinCloaking = data as CloakingList;

/** Canonical names by host, from the audit's `dns` observations (first answer per host). */
export function canonicalNames(observations: readonly Observation[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const o of observations)
    if (o.kind === 'dns' && !names.has(o.host) && o.canonicalName !== o.host) names.set(o.host, o.canonicalName);
  return names;
}

/**
 * `base` seeing through CNAME cloaking: a first-party request the base calls nothing, or nothing
 * that needs consent, is the tracker's when its host's canonical name is a tracker's (known set-up
 * first, then any consent-needing vendor of the base), or when its path is a known set-up's shape.
 * Everything else is the base's answer, unchanged.
 */
export function withCloaking(
  base: Knowledge,
  names: ReadonlyMap<string, string>,
  list: CloakingList = builtinCloaking,
): Knowledge {
  const shapes = list.setups.flatMap((s) =>
    (s.shapes ?? []).flatMap((shape) => {
      try {
        return [{ setup: s, name: shape.name, regex: new RegExp(shape.path) }];
      } catch {
        return []; // rejected by the unit tests
      }
    }),
  );
  const asVendor = (id: string): Omit<Classification, 'matchedBy'> | undefined => {
    const vendor = base.vendor(id);
    if (!vendor) return undefined;
    return {
      vendorId: vendor.id,
      vendorName: vendor.name,
      entity: vendor.entity,
      category: vendor.category,
      needsConsent: needsConsent(vendor),
      source: 'builtin-kb',
    };
  };
  /** Who is behind a canonical name: a known set-up's domain, else the base's consent-needing vendor of that host. */
  const behind = (canonical: string): Classification | undefined => {
    const setup = list.setups.find((s) => s.canonicalDomains.some((d) => hostMatches(canonical, d)));
    const known = setup && asVendor(setup.vendor);
    if (known) return { ...known, matchedBy: `known CNAME set-up ${setup.vendor}` };
    const c = base.classifyUrl(`https://${canonical}/`);
    return c?.needsConsent ? c : undefined;
  };
  const pageSites = new Map<string, string>();
  const pageSite = (sourceUrl: string) => {
    let site = pageSites.get(sourceUrl);
    if (site === undefined) pageSites.set(sourceUrl, (site = siteOf(sourceUrl)));
    return site;
  };
  return {
    ...base,
    classifyUrl(url, context) {
      const found = base.classifyUrl(url, context);
      if (found?.needsConsent || !context?.sourceUrl) return found;
      // One parse of the URL for its host and path; the page's site is looked up once per page.
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      const host = parsed ? parsed.hostname.toLowerCase() : hostOf(url);
      if (!host || siteOf(host) !== pageSite(context.sourceUrl)) return found;
      const canonical = names.get(host);
      const uncloaked = canonical ? behind(canonical) : undefined;
      if (uncloaked)
        return {
          ...uncloaked,
          vendorName: `${uncloaked.vendorName} (via CNAME cloaking)`,
          matchedBy: `cname: ${host} → ${canonical} (${uncloaked.matchedBy})`,
        };
      const path = parsed?.pathname ?? '';
      const shape = path ? shapes.find((s) => s.regex.test(path)) : undefined;
      const vendor = shape && asVendor(shape.setup.vendor);
      if (vendor)
        return {
          ...vendor,
          vendorName: `${vendor.vendorName} (via a first-party tracking server)`,
          matchedBy: `cloaking-shape: ${shape.name} on a first-party host (${host})`,
        };
      return found;
    },
  };
}
