import { siteOf } from '@/lib/site';

/** How long a request or a Set-Cookie header keeps attributing later cookie changes to its tab. */
export const ATTRIBUTION_WINDOW_MS = 30_000;

/**
 * cookies.onChanged says nothing about tabs. A change belongs to an audited tab when the cookie is
 * on the tab's own site, when the tab's responses just asked for it (Set-Cookie), or when the tab
 * just talked to the cookie's site (a third-party frame writing its own cookie). Times are the
 * events' own (ms), so the window needs no clock of its own.
 */
export class CookieAttribution {
  private headerCookies = new Map<string, number>(); // `${tab}|${name}|${domain}` → time
  private requestSites = new Map<number, Map<string, number>>(); // tab → site → time

  sawHeaderCookie(tabId: number, name: string, domain: string, time: number): void {
    this.headerCookies.set(`${tabId}|${name}|${domain.replace(/^\./, '')}`, time);
  }

  sawRequest(tabId: number, site: string, time: number): void {
    let sites = this.requestSites.get(tabId);
    if (!sites) this.requestSites.set(tabId, (sites = new Map()));
    sites.set(site, time);
  }

  /** Drops what a tab's requests and headers said: called when the tab closes. */
  forget(tabId: number): void {
    this.requestSites.delete(tabId);
    for (const key of this.headerCookies.keys()) if (key.startsWith(`${tabId}|`)) this.headerCookies.delete(key);
  }

  /** Audited tabs a cookie change belongs to. */
  tabsFor(
    name: string,
    domain: string,
    now: number,
    audited: ReadonlyArray<{ tabId: number; site: string }>,
  ): number[] {
    const bare = domain.replace(/^\./, '');
    const site = siteOf(bare);
    return audited
      .filter(({ tabId, site: tabSite }) => {
        if (tabSite === site) return true;
        const header = this.headerCookies.get(`${tabId}|${name}|${bare}`);
        if (header !== undefined && now - header <= ATTRIBUTION_WINDOW_MS) return true;
        const seen = this.requestSites.get(tabId)?.get(site);
        return seen !== undefined && now - seen <= ATTRIBUTION_WINDOW_MS;
      })
      .map(({ tabId }) => tabId);
  }
}
