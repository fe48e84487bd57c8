import type { BrowserInfo } from './report/types';

/** Browser name and version from a user agent, for provenance. Firefox also reports it through getBrowserInfo(). */
export function browserFromUserAgent(userAgent: string): BrowserInfo {
  const firefox = /Firefox\/([\d.]+)/.exec(userAgent);
  if (firefox) return { name: 'Firefox', version: firefox[1]!, userAgent };
  const chrome = /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(userAgent);
  if (chrome) return { name: 'Chromium', version: chrome[1]!, userAgent };
  return { name: 'unknown', version: 'unknown', userAgent };
}
