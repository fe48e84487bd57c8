/**
 * Which links `--pages N` follows: same-site (registrable domain) http(s) pages found on the first
 * page, in document order, without duplicates, fragments or obvious downloads. Pure.
 */
import { siteOf } from '../../lib/site.ts';

/** Extensions that are files rather than pages: a browser would download them, not render them. */
const DOWNLOAD =
  /\.(pdf|zip|gz|tgz|rar|7z|docx?|xlsx?|pptx?|odt|ods|csv|jpe?g|png|gif|webp|svg|mp[34]|mov|avi|exe|dmg|apk)$/i;

/** Up to `max` page URLs from `hrefs` (absolute, as `a.href` gives them) on `site`, other than `exclude`. */
export function pickLinks(
  hrefs: readonly string[],
  site: string,
  max: number,
  exclude: readonly string[] = [],
): string[] {
  const seen = new Set(exclude.map((u) => withoutHash(u)).filter((u): u is string => !!u));
  const picked: string[] = [];
  for (const href of hrefs) {
    if (picked.length >= max) break;
    const url = withoutHash(href);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    const parsed = new URL(url);
    if (siteOf(parsed.hostname) !== site || DOWNLOAD.test(parsed.pathname)) continue;
    picked.push(url);
  }
  return picked;
}

/** The URL without its fragment, or undefined when it is not an http(s) URL. */
function withoutHash(href: string): string | undefined {
  try {
    const url = new URL(href);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}
