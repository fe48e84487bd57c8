/**
 * Command-line options of `npm run audit -- <url> [options]`. Pure: argv in, options or a one-line
 * reason out, so every rule here is unit-tested without a browser.
 */
import type { Severity } from '../../lib/findings.ts';
import { parseHostRules } from '../browser/host-rules.ts';
import { DEFAULT_VISITOR, isLocale, isTimeZone } from '../browser/visitor.ts';
import { isLang, type Lang } from '../../lib/i18n/index.ts';

/** A scripted consent scenario, in the order they run. */
export type ScriptedScenario = 'none' | 'accept' | 'reject' | JourneyScenario;
/** The journeys the regulators check (scripts/cli/journeys.ts). */
export type JourneyScenario = 'revisit-accept' | 'revisit-reject' | 'withdrawal' | 'layers';
export const JOURNEYS: readonly JourneyScenario[] = ['revisit-accept', 'revisit-reject', 'withdrawal', 'layers'];
/** Every scenario, in the order they run: `--scenario all`. */
export const SCENARIOS: readonly ScriptedScenario[] = ['none', 'accept', 'reject', ...JOURNEYS];
/** Without `--scenario`: the three consent choices, without the journeys. */
export const DEFAULT_SCENARIOS: readonly ScriptedScenario[] = ['none', 'accept', 'reject'];

export const isJourney = (s: ScriptedScenario): s is JourneyScenario => (JOURNEYS as readonly string[]).includes(s);

export interface AuditOptions {
  /** Absolute http(s) URL of the first page. */
  url: string;
  scenarios: ScriptedScenario[];
  /** Report path; default `reports/<site>-<timestamp>.json`. */
  out?: string;
  /** Declared-policy file; default the extension's built-in policy for the site. */
  policy?: string;
  /** Extra same-site pages to visit after the first one. */
  pages: number;
  /** Minimum settle time per page, ms. */
  waitMs: number;
  acceptSelector?: string;
  rejectSelector?: string;
  hostRules?: string;
  ignoreHttpsErrors: boolean;
  browser: 'chromium' | 'firefox';
  /** Chromium binary; default found automatically. */
  chromium?: string;
  failOn?: Exclude<Severity, 'info'>;
  /** Keep identifiers (`cid`, `gclid`, cookie values) in the report's URLs: internal use only. */
  keepIdentifiers: boolean;
  /** The visitor's locale (navigator.languages, Accept-Language); default fr-FR. */
  locale: string;
  /** The visitor's IANA time zone; default Europe/Paris. */
  timezone: string;
  /** Also render the report as one self-contained HTML file here. */
  html?: string;
  /** Also render findings.csv and cookies.csv into this directory. */
  csv?: string;
  /** Language of the HTML and CSV renderings (default fr). */
  lang?: Lang;
  /** A site no policy covers is audited against the law's baseline (lib/policy/baseline.ts), as the popup offers. */
  baseline?: boolean;
}

export type ParseResult =
  { kind: 'options'; options: AuditOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export const DEFAULT_WAIT_MS = 3000;
const MAX_PAGES = 50;
const MAX_WAIT_MS = 600_000;

const VALUED = [
  '--scenario',
  '--out',
  '--policy',
  '--pages',
  '--wait',
  '--accept-selector',
  '--reject-selector',
  '--host-rules',
  '--browser',
  '--chromium',
  '--fail-on',
  '--locale',
  '--timezone',
  '--html',
  '--csv',
  '--lang',
] as const;
const FLAGS = ['--ignore-https-errors', '--keep-identifiers', '--baseline', '--help', '-h'] as const;

function integer(name: string, text: string, max: number): number | string {
  if (!/^\d+$/.test(text) || Number(text) > max) return `${name} wants a whole number from 0 to ${max}, got "${text}"`;
  return Number(text);
}

/** Absolute http(s) URL; a bare host such as `o2toit.com` means `https://o2toit.com/`. */
export function targetUrl(text: string): URL | string {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return `the URL must be http or https, got "${text}"`;
    if (!url.hostname) return `no host in the URL "${text}"`;
    return url;
  } catch {
    return `not a URL: "${text}"`;
  }
}

/**
 * `--scenario`: one name, a comma-separated list (run in the canonical order), or `all`; absent, the
 * three consent choices. A reason string when a name is unknown or repeated.
 */
function scenarioList(value: string | undefined): ScriptedScenario[] | string {
  if (value === undefined) return [...DEFAULT_SCENARIOS];
  if (value === 'all') return [...SCENARIOS];
  const names = value.split(',').map((n) => n.trim());
  const unknown = names.find((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (unknown !== undefined)
    return `--scenario must be all or one or more (comma-separated) of ${SCENARIOS.join(', ')}; got "${unknown}"`;
  if (new Set(names).size !== names.length) return `--scenario names a scenario twice: "${value}"`;
  return SCENARIOS.filter((s) => names.includes(s));
}

/** Parses argv (without `node script`). Unknown, repeated, missing or contradictory options are errors. */
export function parseArgs(argv: readonly string[]): ParseResult {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if ((FLAGS as readonly string[]).includes(name)) {
      if (eq > 0) return { kind: 'error', message: `${name} takes no value` };
      flags.add(name === '-h' ? '--help' : name);
      continue;
    }
    if (!(VALUED as readonly string[]).includes(name))
      return { kind: 'error', message: `unknown option ${name} (see --help)` };
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--')))
      return { kind: 'error', message: `${name} needs a value` };
    if (values.has(name)) return { kind: 'error', message: `${name} given twice` };
    values.set(name, value);
  }
  if (flags.has('--help')) return { kind: 'help' };
  if (positional.length !== 1) {
    return {
      kind: 'error',
      message: positional.length
        ? `one URL expected, got ${positional.length}: ${positional.join(' ')}`
        : 'missing the URL to audit (see --help)',
    };
  }
  const url = targetUrl(positional[0]!);
  if (typeof url === 'string') return { kind: 'error', message: url };

  const scenarios = scenarioList(values.get('--scenario'));
  if (typeof scenarios === 'string') return { kind: 'error', message: scenarios };
  const pages = integer('--pages', values.get('--pages') ?? '0', MAX_PAGES);
  if (typeof pages === 'string') return { kind: 'error', message: pages };
  const waitMs = integer('--wait', values.get('--wait') ?? String(DEFAULT_WAIT_MS), MAX_WAIT_MS);
  if (typeof waitMs === 'string') return { kind: 'error', message: waitMs };

  const browser = values.get('--browser') ?? 'chromium';
  if (browser !== 'chromium' && browser !== 'firefox')
    return { kind: 'error', message: `--browser must be chromium or firefox, got "${browser}"` };
  if (browser === 'firefox' && values.has('--chromium'))
    return { kind: 'error', message: '--chromium only applies to --browser chromium' };
  const failOn = values.get('--fail-on');
  if (failOn !== undefined && failOn !== 'high' && failOn !== 'medium' && failOn !== 'low') {
    return { kind: 'error', message: `--fail-on must be high, medium or low, got "${failOn}"` };
  }
  for (const [option, needs] of [
    ['--accept-selector', 'accept'],
    ['--reject-selector', 'reject'],
  ] as const) {
    const selector = values.get(option);
    if (selector !== undefined && !selector.trim()) return { kind: 'error', message: `${option} is empty` };
    // The journeys that accept or refuse use the selectors too.
    const users: readonly ScriptedScenario[] =
      needs === 'accept' ? ['accept', 'revisit-accept', 'withdrawal'] : ['reject', 'revisit-reject'];
    if (selector !== undefined && !scenarios.some((s) => users.includes(s)))
      return { kind: 'error', message: `${option} has no effect without the ${needs} scenario` };
  }
  const hostRules = values.get('--host-rules');
  if (hostRules !== undefined) {
    try {
      if (!parseHostRules(hostRules).length) return { kind: 'error', message: '--host-rules is empty' };
    } catch (error) {
      return { kind: 'error', message: `--host-rules: ${(error as Error).message}` };
    }
  }
  for (const option of ['--out', '--policy', '--chromium', '--html', '--csv']) {
    if (values.get(option) === '') return { kind: 'error', message: `${option} is empty` };
  }

  const locale = values.get('--locale') ?? DEFAULT_VISITOR.locale;
  if (!isLocale(locale))
    return { kind: 'error', message: `--locale wants a language tag such as fr-FR, got "${locale}"` };
  const timezone = values.get('--timezone') ?? DEFAULT_VISITOR.timezone;
  if (!isTimeZone(timezone))
    return { kind: 'error', message: `--timezone wants an IANA time zone such as Europe/Paris, got "${timezone}"` };

  const lang = values.get('--lang') ?? 'fr';
  if (!isLang(lang)) return { kind: 'error', message: `--lang must be fr or en, got "${lang}"` };

  const options: AuditOptions = {
    url: url.href,
    locale,
    timezone,
    scenarios,
    pages,
    waitMs,
    ignoreHttpsErrors: flags.has('--ignore-https-errors'),
    keepIdentifiers: flags.has('--keep-identifiers'),
    browser,
    ...(values.has('--out') ? { out: values.get('--out')! } : {}),
    ...(values.has('--policy') ? { policy: values.get('--policy')! } : {}),
    ...(values.has('--accept-selector') ? { acceptSelector: values.get('--accept-selector')! } : {}),
    ...(values.has('--reject-selector') ? { rejectSelector: values.get('--reject-selector')! } : {}),
    ...(hostRules !== undefined ? { hostRules } : {}),
    ...(values.has('--chromium') ? { chromium: values.get('--chromium')! } : {}),
    ...(failOn !== undefined ? { failOn } : {}),
    ...(values.has('--html') ? { html: values.get('--html')! } : {}),
    ...(values.has('--csv') ? { csv: values.get('--csv')! } : {}),
    ...(values.has('--lang') ? { lang } : {}),
    ...(flags.has('--baseline') ? { baseline: true } : {}),
  };
  return { kind: 'options', options };
}
