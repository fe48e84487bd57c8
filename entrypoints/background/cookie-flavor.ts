import type { CookieFlavor } from '@/lib/collectors/cookie-date';

/**
 * Whose cookie reading to follow where Chromium and Firefox differ (lib/collectors/cookie-date.ts):
 * the browser this background runs in, for Set-Cookie headers and page-world cookie strings alike.
 */
export function cookieFlavor(): CookieFlavor {
  return typeof navigator !== 'undefined' && navigator.userAgent?.includes('Firefox/') ? 'firefox' : 'chromium';
}
