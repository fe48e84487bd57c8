/**
 * `npm run audit -- --urls FILE`: audits every URL of the list (scripts/cli/url-list.ts), each
 * exactly as `npm run audit -- <url>` would, at most `--concurrency` browsers at a time in all
 * (the sites' scenarios share that bound), and writes one report per line and an index
 * (scripts/cli/list-index.ts) into `--out DIR`. A site that fails is recorded in the index with its
 * reason; the others go on. The exit status is the worst site's.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Lang } from '../../lib/i18n/index.ts';
import { siteOf } from '../../lib/site.ts';
import pkg from '../../package.json';
import type { BrowserSession } from './browser-session.ts';
import { AuditFailure, oneLine } from './errors.ts';
import { worstExitCode } from './exit-code.ts';
import { createLimit } from './limit.ts';
import { entryOfReport, renderIndexHtml, type IndexEntry, type ListIndex } from './list-index.ts';
import type { AuditOptions } from './parse-args.ts';
import { writeWhole } from './render-files.ts';
import { prepareBrowsers, runAudit } from './run-audit.ts';
import { parseUrlList, type ListEntry } from './url-list.ts';

export interface ListOptions {
  /** The list file, as given. */
  urls: string;
  /** Browsers at a time, all sites together. */
  concurrency: number;
  /** Folder of the reports and the index. */
  outDir: string;
  /** Also render each report as HTML / CSV beside its JSON. */
  html: boolean;
  csv: boolean;
  lang: Lang;
  /** The options every site is audited with (their `url` is replaced by each line's). */
  audit: Omit<AuditOptions, 'url'>;
}

export interface ListRun {
  index: ListIndex;
  indexPath: string;
  exitCode: 0 | 1 | 2;
}

export interface ListIo {
  progress(line: string): void;
  /** The browser sessions open now, for an interrupt to close. */
  onSession?(session: Pick<BrowserSession, 'close'> | undefined): void;
}

/** `reports/list-<UTC timestamp>`. */
export function defaultListDir(startedAt: number): string {
  const stamp = new Date(startedAt)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `reports/list-${stamp}`;
}

/** File stem of a line's report: its rank in the list and its site, e.g. `02-o2toit.com`. */
export function stemOf(rank: number, count: number, url: string): string {
  return `${String(rank).padStart(String(count).length, '0')}-${siteOf(url) || 'site'}`;
}

/** Reads and checks the list; throws {@link AuditFailure} (bad usage) when it cannot be used. */
export async function readUrlList(file: string): Promise<ListEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AuditFailure(`cannot read --urls ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const parsed = parseUrlList(text, file, dirname(resolve(file)));
  if (!parsed.ok) throw new AuditFailure(parsed.message);
  return parsed.entries;
}

export async function runList(options: ListOptions, io: ListIo): Promise<ListRun> {
  const startedAt = Date.now();
  const entries = await readUrlList(options.urls);
  const outDir = resolve(options.outDir);
  io.progress(
    `${entries.length} URL(s) from ${options.urls}, ${options.concurrency} browser(s) at a time; reports in ${outDir}`,
  );
  const browsers = await prepareBrowsers(options.audit, options.concurrency);
  // Sessions of every site, for an interrupt.
  const openBySite = new Map<number, Pick<BrowserSession, 'close'>>();
  const closeAll = { close: async () => void (await Promise.all([...openBySite.values()].map((s) => s.close()))) };
  // As many sites in progress as browsers: a site's scenarios then usually have a browser at hand,
  // and a long list does not prepare every site at once.
  const sites = createLimit(options.concurrency);
  try {
    const results = await Promise.all(
      entries.map((entry, i) =>
        sites(async (): Promise<IndexEntry> => {
          const stem = stemOf(i + 1, entries.length, entry.url);
          const tag = `[${stem}]`;
          const audit: AuditOptions = {
            ...options.audit,
            url: entry.url,
            out: join(outDir, `${stem}.json`),
            lang: options.lang,
            // A line without a policy: the extension's policy for the site, else the law's baseline.
            baseline: true,
            ...(entry.policy ? { policy: entry.policy } : {}),
            ...(options.html ? { html: join(outDir, `${stem}.html`) } : {}),
            ...(options.csv ? { csv: join(outDir, `${stem}-csv`) } : {}),
          };
          io.progress(`${tag} ${entry.url}${entry.policy ? ` with ${entry.policy}` : ''}`);
          try {
            const run = await runAudit(
              audit,
              {
                progress: (line) => io.progress(`${tag} ${line}`),
                onSession: (session) => {
                  if (session) openBySite.set(i, session);
                  else openBySite.delete(i);
                  io.onSession?.(openBySite.size ? closeAll : undefined);
                },
              },
              browsers,
            );
            io.progress(`${tag} done: exit ${run.exitCode}, ${run.report.findings.length} finding(s)`);
            return entryOfReport(
              {
                line: entry.line,
                url: entry.url,
                exitCode: run.exitCode,
                report: `${stem}.json`,
                ...(options.html ? { html: `${stem}.html` } : {}),
                ...(options.csv ? { csv: [`${stem}-csv/findings.csv`, `${stem}-csv/cookies.csv`] } : {}),
                ...(run.failures.length ? { error: run.failures.join('; ') } : {}),
                ...(entry.policy ? { policyFile: entry.policy } : {}),
              },
              run.report,
            );
          } catch (error) {
            const reason = error instanceof AuditFailure ? error.message : `failed: ${oneLine(error)}`;
            io.progress(`${tag} FAILED: ${reason}`);
            return { line: entry.line, site: siteOf(entry.url), url: entry.url, exitCode: 2, error: reason };
          }
        }),
      ),
    );
    const exitCode = worstExitCode(results.map((r) => r.exitCode));
    const index: ListIndex = {
      tool: { name: 'Consent Auditor', version: pkg.version },
      generatedAt: new Date().toISOString(),
      list: basename(options.urls),
      concurrency: options.concurrency,
      ...(options.audit.failOn ? { failOn: options.audit.failOn } : {}),
      exitCode,
      sites: results,
    };
    const indexPath = await writeWhole(join(outDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
    await writeWhole(join(outDir, 'index.html'), renderIndexHtml(index, options.lang));
    io.progress(`index: ${indexPath} (${Math.round((Date.now() - startedAt) / 1000)} s)`);
    return { index, indexPath, exitCode };
  } finally {
    await browsers.dispose();
  }
}
