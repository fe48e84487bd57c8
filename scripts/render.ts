/**
 * `npm run render -- REPORT.json --format html|csv [--lang fr|en] [--out FILE|DIR]`: renders a saved
 * report (the canonical JSON, review marks included) with the extension's own renderers, so an
 * audit can be re-rendered later. html: --out FILE (default stdout); csv: --out DIR gets
 * findings.csv and cookies.csv (required). Exit 0 done, 2 bad usage or a file that is not a report.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderHtml } from '../lib/render/index.ts';
import { isLang, type Lang } from '../lib/render/labels.ts';
import { AuditFailure, oneLine } from './cli/errors.ts';
import { readReport, writeCsv, writeHtml } from './cli/render-files.ts';

export const RENDER_USAGE = `Usage: npm run render -- REPORT.json --format html|csv [--lang fr|en] [--out FILE|DIR]

Renders a saved Consent Auditor report (JSON, checked against lib/schema/audit-report.schema.json)
with the extension's own renderers; review marks in the JSON are shown.

  --format html|csv   html: one self-contained file (no script, no network); csv: findings.csv and
                      cookies.csv (RFC 4180, UTF-8 with BOM, formula cells guarded)
  --lang fr|en        language of headings and columns (default fr)
  --out FILE|DIR      html: the file (default: stdout); csv: the directory (required)
  -h, --help          this text

Exit status: 0 done; 2 bad usage, or a file that is not a report (reason on stderr).
`;

interface RenderOptions {
  file: string;
  format: 'html' | 'csv';
  lang: Lang;
  out?: string;
}

/** Parses argv; a string is the one-line reason it is wrong. */
export function parseRenderArgs(argv: readonly string[]): RenderOptions | 'help' | string {
  const values = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!['--format', '--lang', '--out'].includes(name)) return `unknown option ${name} (see --help)`;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) return `${name} needs a value`;
    if (values.has(name)) return `${name} given twice`;
    values.set(name, value);
  }
  if (positional.length !== 1)
    return positional.length ? `one report file expected, got ${positional.length}` : 'missing the report file';
  const format = values.get('--format');
  if (format !== 'html' && format !== 'csv') return `--format must be html or csv, got ${format ?? 'nothing'}`;
  const lang = values.get('--lang') ?? 'fr';
  if (!isLang(lang)) return `--lang must be fr or en, got "${lang}"`;
  if (format === 'csv' && !values.has('--out')) return '--format csv needs --out DIR (findings.csv and cookies.csv)';
  return { file: positional[0]!, format, lang, ...(values.has('--out') ? { out: values.get('--out')! } : {}) };
}

export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseRenderArgs(argv);
  if (parsed === 'help') {
    process.stdout.write(RENDER_USAGE);
    return 0;
  }
  if (typeof parsed === 'string') {
    console.error(`render: ${parsed}`);
    return 2;
  }
  try {
    const report = await readReport(parsed.file);
    if (parsed.format === 'html') {
      if (parsed.out) console.error(`render: wrote ${await writeHtml(report, parsed.lang, parsed.out)}`);
      else process.stdout.write(renderHtml(report, parsed.lang));
    } else {
      for (const path of await writeCsv(report, parsed.lang, parsed.out!)) console.error(`render: wrote ${path}`);
    }
    return 0;
  } catch (error) {
    console.error(`render: ${error instanceof AuditFailure ? '' : 'failed: '}${oneLine(error)}`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // exitCode, not exit(): exit() ends the process before a large write to a pipe is flushed, and
  // `npm run render -- REPORT.json --format html | …` then received a truncated page.
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
