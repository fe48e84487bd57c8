/**
 * `npm run audit -- <url> [options]`: a scripted audit of a live site by the built extension, in
 * fresh headless browser profiles, one per consent scenario. Progress goes to stderr; the findings
 * table and the report path to stdout. Exit 0 done, 1 findings at or above --fail-on, 2 bad usage
 * or failed audit (one-line reason on stderr). See scripts/cli/help.ts for the options.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuditFailure, oneLine } from './cli/errors.ts';
import { USAGE } from './cli/help.ts';
import { parseArgs } from './cli/parse-args.ts';
import { runAudit } from './cli/run-audit.ts';
import { formatSummary } from './cli/summary-table.ts';
import type { BrowserSession } from './cli/browser-session.ts';
import { isListMode, parseListArgs } from './cli/parse-list-args.ts';
import { defaultListDir, runList } from './cli/run-list.ts';

/** Runs the command with `argv` and resolves with its exit status. Also used by `npm run demo`. */
export async function main(argv: readonly string[]): Promise<number> {
  if (isListMode(argv)) return list(argv);
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`audit: ${parsed.message}`);
    return 2;
  }
  return guarded(async (onSession) => {
    const run = await runAudit(parsed.options, { progress: (line) => console.error(line), onSession });
    console.log(formatSummary(run.report, run.reportPath));
    if (run.failures.length) console.error(`audit: ${run.failures.join('; ')}`);
    else if (run.exitCode === 1) console.error(`audit: findings at or above ${parsed.options.failOn} (--fail-on)`);
    return run.exitCode;
  });
}

/** `--urls FILE`: every site of the list, one report each and an index (scripts/cli/run-list.ts). */
async function list(argv: readonly string[]): Promise<number> {
  const parsed = parseListArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`audit: ${parsed.message}`);
    return 2;
  }
  return guarded(async (onSession) => {
    const run = await runList(
      { ...parsed.options, outDir: parsed.options.outDir ?? defaultListDir(Date.now()) },
      { progress: (line) => console.error(line), onSession },
    );
    for (const s of run.index.sites) {
      const counts = s.counts
        ? `${s.counts.high} high, ${s.counts.medium} medium, ${s.counts.low} low, ${s.counts.info} info`
        : '';
      console.log(`${s.exitCode}  ${s.url}  ${s.error ?? counts}`);
    }
    console.log(`Index: ${run.indexPath}`);
    const failed = run.index.sites.filter((s) => s.exitCode === 2).length;
    if (failed) console.error(`audit: ${failed} of ${run.index.sites.length} site(s) failed (see the index)`);
    else if (run.exitCode === 1)
      console.error(`audit: findings at or above ${parsed.options.audit.failOn} (--fail-on)`);
    return run.exitCode;
  });
}

/**
 * Runs an audit command: Ctrl-C closes the open headless browser and its temp profile before
 * exiting, and any failure becomes exit 2 with its one-line reason.
 */
async function guarded(work: (onSession: (session: BrowserSession) => void) => Promise<number>): Promise<number> {
  let open: Pick<BrowserSession, 'close'> | undefined;
  const interrupt = (): void => {
    console.error('audit: interrupted');
    void Promise.resolve(open?.close()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await work((session) => (open = session));
  } catch (error) {
    console.error(`audit: ${error instanceof AuditFailure ? '' : 'failed: '}${oneLine(error)}`);
    return 2;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

// Run only as the entry point (the demo imports main).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
