/**
 * How a scripted browser presents itself to the audited site: as a visitor, not as a bot. Sites and
 * their consent libraries hide from automation (vanilla-cookieconsent hides its banner when
 * `navigator.webdriver` is true; bot checks read the user agent), and an audit of what a bot is shown
 * is not an audit of what visitors get. So the browsers launch with automation flags switched off
 * where the page can read them, a user agent without "Headless", a usual window size, and the
 * visitor's languages and time zone (fr-FR and Europe/Paris by default: the auditor's public).
 */
import { execFileSync } from 'node:child_process';

/** What the auditor chose for the visitor. */
export interface VisitorSettings {
  /** BCP 47 locale, first of `navigator.languages` and of Accept-Language, e.g. `fr-FR`. */
  locale: string;
  /** IANA time zone, e.g. `Europe/Paris`. */
  timezone: string;
  /** Window size in CSS pixels. */
  width: number;
  height: number;
}

export const DEFAULT_VISITOR: VisitorSettings = { locale: 'fr-FR', timezone: 'Europe/Paris', width: 1366, height: 768 };

/** What the audited page itself saw of the visitor, read from its first page: the report's provenance. */
export interface VisitorSeen {
  webdriver: boolean;
  userAgent: string;
  languages: string[];
  timezone: string;
  window: string;
}

/** `fr-FR` → `fr-FR,fr;q=0.9` (what a French browser sends), for Firefox's pref and Chromium's. */
export function acceptLanguages(locale: string): string[] {
  const base = locale.split('-')[0]!;
  return base && base !== locale ? [locale, base] : [locale];
}

/** Whether `zone` is a time zone this Node (and so the browsers' ICU) knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone);
  } catch {
    return false;
  }
}

/** Whether `locale` is a well-formed BCP 47 tag. */
export function isLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1 && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale);
  } catch {
    return false;
  }
}

const versions = new Map<string, string>();

/**
 * Chrome's user agent on Linux for this binary's version: headless Chromium says "HeadlessChrome".
 * The full version, not Chrome's reduced `156.0.0.0`: the emulated user agent reaches the
 * extension's own worker too, whose report states the browser's version from it.
 */
export function chromeUserAgent(executablePath: string): string {
  let version = versions.get(executablePath);
  if (version === undefined) {
    const text = execFileSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 15_000 });
    version = /\d+\.\d+\.\d+\.\d+/.exec(text)?.[0] ?? '0.0.0.0';
    versions.set(executablePath, version);
  }
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Safari/537.36`;
}

/** Read in the page: what any script of the site can see. */
export const readVisitor = (): VisitorSeen => ({
  webdriver: navigator.webdriver,
  userAgent: navigator.userAgent,
  languages: [...navigator.languages],
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  window: `${window.outerWidth}x${window.outerHeight}`,
});
