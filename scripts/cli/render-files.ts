/**
 * Writing rendered reports to disk, for `npm run render` and `npm run audit -- --html/--csv`: the
 * same lib/render renderers as the extension's exports. Each file is written whole or not at all.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import Ajv from 'ajv';
import reportSchema from '../../lib/schema/audit-report.schema.json';
import { cookiesCsv, findingsCsv, renderHtml, type Lang } from '../../lib/render/index.ts';
import type { AuditReport } from '../../lib/report/types.ts';
import { AuditFailure } from './errors.ts';
import { jsonErrorAt } from './json-error-at.ts';

export async function writeWhole(path: string, text: string): Promise<string> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(`${target}.partial`, text);
  await rename(`${target}.partial`, target);
  return target;
}

/** Writes the HTML report to `file`; returns the absolute path. */
export function writeHtml(report: AuditReport, lang: Lang, file: string): Promise<string> {
  return writeWhole(file, renderHtml(report, lang));
}

/** Writes `findings.csv` and `cookies.csv` into `dir`; returns their absolute paths. */
export async function writeCsv(report: AuditReport, lang: Lang, dir: string): Promise<string[]> {
  return [
    await writeWhole(join(dir, 'findings.csv'), findingsCsv(report, lang)),
    await writeWhole(join(dir, 'cookies.csv'), cookiesCsv(report, lang)),
  ];
}

let validate: ReturnType<Ajv['compile']> | undefined;

/**
 * Reads a saved report and checks it against lib/schema/audit-report.schema.json. Throws an
 * {@link AuditFailure} naming the file and the first problems (JSON syntax with its line, or
 * schema paths).
 */
export async function readReport(file: string): Promise<AuditReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AuditFailure(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    const at = jsonErrorAt(text);
    throw new AuditFailure(`${file} is not JSON${at ? ` (line ${at.line}, column ${at.column})` : ''}`);
  }
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(reportSchema);
  if (!validate(value)) {
    const problems = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    throw new AuditFailure(
      `${file} is not a Consent Auditor report (lib/schema/audit-report.schema.json): ${problems}`,
    );
  }
  return value as AuditReport;
}
