/**
 * Options of `npm run audit -- --urls FILE [options]`. `--urls`, `--concurrency`, `--out DIR` and
 * the flags `--html` and `--csv` are the list's; every other option is `npm run audit`'s, checked by
 * the same parser (scripts/cli/parse-args.ts) and applied to every site. Pure.
 */
import { isLang } from '../../lib/i18n/index.ts';
import { parseArgs } from './parse-args.ts';
import type { ListOptions } from './run-list.ts';

export type ListParseResult =
  | { kind: 'list'; options: Omit<ListOptions, 'outDir'> & { outDir?: string } }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const DEFAULT_CONCURRENCY = 2;
const MAX_CONCURRENCY = 16;
/** Stands for the URL while the shared options are checked. */
const PLACEHOLDER = 'https://list.invalid/';

/** Whether argv asks for a list audit. */
export const isListMode = (argv: readonly string[]): boolean =>
  argv.some((a) => a === '--urls' || a.startsWith('--urls='));

export function parseListArgs(argv: readonly string[]): ListParseResult {
  const own = new Map<string, string>();
  const flags = new Set<string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name === '--html' || name === '--csv') {
      if (eq > 0)
        return { kind: 'error', message: `${name} takes no value with --urls (each report's file is named after it)` };
      flags.add(name);
      continue;
    }
    if (name === '--urls' || name === '--concurrency' || name === '--out' || name === '--lang') {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--')))
        return { kind: 'error', message: `${name} needs a value` };
      if (own.has(name)) return { kind: 'error', message: `${name} given twice` };
      if (!value) return { kind: 'error', message: `${name} is empty` };
      own.set(name, value);
      continue;
    }
    rest.push(arg);
  }
  const alone = parseArgs(rest);
  if (alone.kind === 'help') return alone;
  if (alone.kind === 'options')
    return { kind: 'error', message: `--urls FILE replaces the URL argument: got ${alone.options.url} too` };
  if (alone.message !== 'missing the URL to audit (see --help)') return alone;
  const shared = parseArgs([...rest, PLACEHOLDER]);
  if (shared.kind !== 'options') return shared.kind === 'help' ? shared : shared;
  const { url: _url, ...audit } = shared.options;
  void _url;
  if (audit.policy !== undefined)
    return { kind: 'error', message: '--policy does not apply to --urls: give each line its policy file (see --help)' };

  const concurrencyText = own.get('--concurrency') ?? String(DEFAULT_CONCURRENCY);
  if (!/^\d+$/.test(concurrencyText) || Number(concurrencyText) < 1 || Number(concurrencyText) > MAX_CONCURRENCY)
    return {
      kind: 'error',
      message: `--concurrency wants a whole number from 1 to ${MAX_CONCURRENCY}, got "${concurrencyText}"`,
    };
  const lang = own.get('--lang') ?? 'fr';
  if (!isLang(lang)) return { kind: 'error', message: `--lang must be fr or en, got "${lang}"` };
  return {
    kind: 'list',
    options: {
      urls: own.get('--urls')!,
      concurrency: Number(concurrencyText),
      ...(own.has('--out') ? { outDir: own.get('--out')! } : {}),
      html: flags.has('--html'),
      csv: flags.has('--csv'),
      lang,
      audit,
    },
  };
}
