import { getDomain, getHostname } from 'tldts';

/**
 * First party versus third party is decided once, here, on the registrable domain
 * (eTLD+1, with private suffixes such as `github.io` honoured).
 */

/** Host of a URL, lower-cased, or '' when the URL cannot be parsed. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return (getHostname(url) ?? '').toLowerCase();
  }
}

/** Registrable domain of a host or URL (`www.example.fr` → `example.fr`). IPs and unknown hosts return themselves. */
export function siteOf(hostOrUrl: string): string {
  const host = hostOrUrl.includes('/') ? hostOf(hostOrUrl) : hostOrUrl.toLowerCase().replace(/^\./, '');
  if (!host) return '';
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/** True when `host` is `domain` or one of its subdomains (dot boundary). */
export function hostMatches(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/^\./, '');
  const d = domain.toLowerCase().replace(/^\./, '');
  return h === d || h.endsWith('.' + d);
}

/** True when the two hosts or URLs belong to different registrable domains. */
export function isThirdParty(hostOrUrl: string, topSite: string): boolean {
  return siteOf(hostOrUrl) !== siteOf(topSite);
}
