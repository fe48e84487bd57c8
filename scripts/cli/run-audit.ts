/**
 * A scripted audit from parsed options to a written report: check the policy file, find the browser,
 * build the extension if needed, play each scenario in its own fresh profile, merge the extension's
 * per-scenario reports (lib/report/merge-scenarios.ts) and write the JSON. `npm run audit` and
 * `npm run demo` both come through here.
 */
import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { redactUrl } from '../../lib/collectors/redact.ts';
import { policyForSite } from '../../lib/policy/load.ts';
import { mergeScenarios } from '../../lib/report/merge-scenarios.ts';
import type { AuditReport } from '../../lib/report/types.ts';
import { siteOf } from '../../lib/site.ts';
import { ROOT } from '../browser/paths.ts';
import { ensureChromium, ensureFirefox } from '../ensure-browser.ts';
import { ensureBuild } from '../ensure-build.ts';
import type { BrowserSession } from './browser-session.ts';
import { AuditFailure, oneLine } from './errors.ts';
import { exitCodeOf } from './exit-code.ts';
import { loadPolicyFile, type LocalPolicy } from './load-policy.ts';
import { SCENARIOS, type AuditOptions, type ScriptedScenario } from './parse-args.ts';
import { createLimit, type Limit } from './limit.ts';
import { runScenario, type ScenarioOutcome, type ScenarioPlan } from './run-scenario.ts';
import { writeCsv, writeHtml } from './render-files.ts';
import { timed } from './timings.ts';

export interface AuditRun {
  report: AuditReport;
  /** Where the report was written, relative to the working directory when inside it. */
  reportPath: string;
  /** 0 done, 1 findings at or above --fail-on, 2 a scenario failed (report written all the same). */
  exitCode: 0 | 1 | 2;
  /** One-line reasons for exit code 2. */
  failures: string[];
}

export interface AuditIo {
  /** Progress lines (stderr). */
  progress(line: string): void;
  /** The browser sessions currently open (scenarios run side by side), for an interrupt to close. */
  onSession?(session: Pick<BrowserSession, 'close'> | undefined): void;
}

/** `reports/<site>-<UTC timestamp>.json`, safe on every file system. */
export function defaultReportPath(url: string, startedAt: number): string {
  const stamp = new Date(startedAt)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `reports/${siteOf(url) || 'site'}-${stamp}.json`;
}

/** The options as a command line, for the report's provenance (the audit can be rerun from it). */
function commandLine(o: AuditOptions): string {
  const quote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const parts = [
    'npm run audit --',
    quote(o.keepIdentifiers ? o.url : redactUrl(o.url)),
    '--scenario',
    o.scenarios.length === SCENARIOS.length ? 'all' : o.scenarios.join(','),
    '--browser',
    o.browser,
    '--pages',
    String(o.pages),
    '--wait',
    String(o.waitMs),
  ];
  if (o.policy) parts.push('--policy', quote(o.policy));
  if (o.acceptSelector) parts.push('--accept-selector', quote(o.acceptSelector));
  if (o.rejectSelector) parts.push('--reject-selector', quote(o.rejectSelector));
  if (o.hostRules) parts.push('--host-rules', quote(o.hostRules));
  if (o.ignoreHttpsErrors) parts.push('--ignore-https-errors');
  if (o.keepIdentifiers) parts.push('--keep-identifiers');
  if (o.baseline) parts.push('--baseline');
  parts.push('--locale', quote(o.locale), '--timezone', quote(o.timezone));
  return parts.join(' ');
}

/** The browser and extension build an audit runs with, and the bound on browsers at a time. */
export interface Browsers {
  executablePath: string;
  /** A private copy of the build. */
  extensionPath: string;
  /** Shared by every audit that runs with these browsers: the total stays within it. */
  limit: Limit;
  /** Browsers starting at once, within {@link limit}: a start is CPU-bound, the rest of a scenario mostly waits. */
  launches: Limit;
  /** Removes the private copy. */
  dispose(): Promise<void>;
}

/**
 * How many scenarios run at once, each in its own browser, unless `--concurrency` says otherwise.
 * Most of a scenario's time is waiting for its pages to settle (scripts/cli/settle.ts: a quiet
 * second after each page and each choice), which costs no CPU: four browsers are open at once, and
 * what does compete for a 2-core machine's cores, the browser starts, goes one at a time
 * ({@link LAUNCH_CONCURRENCY}). Measured on `npm run demo` (7 scenarios): 0.69× the wall time of two
 * browsers at a time with two starting at once, same report. Each scenario keeps its own fresh profile.
 */
export const SCENARIO_CONCURRENCY = 4;
/** Browsers starting at once (the CPU-bound part of a scenario), within the browsers' bound. */
export const LAUNCH_CONCURRENCY = 1;

/** Finds the browser, builds the extension if needed and copies the build. Throws {@link AuditFailure}. */
export async function prepareBrowsers(
  options: Pick<AuditOptions, 'browser' | 'chromium'>,
  concurrency = SCENARIO_CONCURRENCY,
): Promise<Browsers> {
  let executablePath: string;
  let build: string;
  try {
    executablePath = options.browser === 'firefox' ? ensureFirefox() : ensureChromium(options.chromium);
    build = await timed('audit', 'build', () =>
      ensureBuild(ROOT, options.browser === 'firefox' ? 'firefox' : 'chrome'),
    );
  } catch (error) {
    throw new AuditFailure(oneLine(error));
  }
  // A private copy of the build: a rebuild of .output/ during a long audit must not pull the
  // extension from under a running browser, and every scenario must run the very same code.
  const extensionPath = await mkdtemp(join(tmpdir(), 'consent-auditor-extension-'));
  const dispose = () => rm(extensionPath, { recursive: true, force: true });
  try {
    await timed('audit', 'copy build', () => cp(build, extensionPath, { recursive: true }));
  } catch (error) {
    await dispose();
    throw new AuditFailure(`cannot copy the build ${build}: ${oneLine(error)}`);
  }
  return {
    executablePath,
    extensionPath,
    limit: createLimit(concurrency),
    launches: createLimit(Math.min(concurrency, LAUNCH_CONCURRENCY)),
    dispose,
  };
}

/**
 * Runs the audit. Throws {@link AuditFailure} (exit 2, no report) when no meaningful report can be
 * made. With `browsers` (a `--urls` list), runs within their shared bound; else prepares its own.
 */
export async function runAudit(options: AuditOptions, io: AuditIo, browsers?: Browsers): Promise<AuditRun> {
  const startedAt = Date.now();
  const policy = options.policy ? await loadPolicyFile(options.policy) : undefined;
  if (policy) {
    const site = siteOf(options.url);
    // The extension's own rule (lib/sources asks the same function).
    if (!policyForSite(site, [policy]))
      throw new AuditFailure(
        `--policy ${policy.file} (${policy.id}) does not cover ${site}; it covers ${policy.sites.join(', ')}`,
      );
    io.progress(`policy ${policy.id} ${policy.version} from ${policy.file} (sha256 ${policy.sha256.slice(0, 12)}…)`);
  }
  if (browsers) return runScenarios(options, io, { startedAt, policy, browsers });
  const own = await prepareBrowsers(options);
  try {
    return await runScenarios(options, io, { startedAt, policy, browsers: own });
  } finally {
    await own.dispose();
  }
}

interface Prepared {
  startedAt: number;
  policy: LocalPolicy | undefined;
  browsers: Browsers;
}

async function runScenarios(
  options: AuditOptions,
  io: AuditIo,
  { startedAt, policy, browsers }: Prepared,
): Promise<AuditRun> {
  // Each scenario has its own browser and profile, so they run side by side within the browsers'
  // bound (a 2-core machine runs two headless browsers without slowing either much). The first
  // scenario finds the links the others visit, so that all visit the same pages: the others start
  // at once all the same, and wait for its links only once their own first page has settled.
  const open = new Set<BrowserSession>();
  const closeAll = { close: async () => void (await Promise.all([...open].map((s) => s.close()))) };
  const { executablePath, extensionPath } = browsers;
  const play = (
    scenario: ScriptedScenario,
    extraPages: ScenarioPlan['extraPages'],
    onDiscovered?: (links: string[]) => void,
  ) => {
    let own: BrowserSession | undefined;
    return runScenario({
      scenario,
      options,
      policy,
      extraPages,
      executablePath,
      extensionPath,
      launches: browsers.launches,
      progress: (line) => io.progress(`[${scenario}] ${line}`),
      ...(onDiscovered ? { onDiscovered } : {}),
      onSession: (session) => {
        if (own) open.delete(own);
        own = session;
        if (session) open.add(session);
        io.onSession?.(open.size ? closeAll : undefined);
      },
    });
  };
  // The first failure ends the audit: scenarios still waiting for a browser do not start, and it is
  // the one reported.
  let failed: { error: unknown } | undefined;
  const bounded = <T>(run: () => Promise<T>): Promise<T> =>
    browsers.limit(async () => {
      if (failed) throw failed.error;
      try {
        return await run();
      } catch (error) {
        failed ??= { error };
        throw error;
      }
    });
  const [head, ...rest] = options.scenarios;
  let links: Promise<string[]> | undefined;
  let headRun: Promise<ScenarioOutcome>;
  if (options.pages > 0) {
    let found!: (links: string[]) => void;
    let lost!: (error: unknown) => void;
    links = new Promise<string[]>((resolve, reject) => ((found = resolve), (lost = reject)));
    links.catch(() => undefined); // the head's own failure is the one reported
    headRun = bounded(() => play(head!, undefined, found)).then((outcome) => {
      found(outcome.discovered ?? []); // no-op when already found
      return outcome;
    });
    headRun.catch(lost);
  } else headRun = bounded(() => play(head!, []));
  // Settled, not raced: a scenario still running when another fails closes its browser before the
  // audit gives up (a --urls list goes on with the same browsers and build copy).
  const settled = await Promise.allSettled([headRun, ...rest.map((s) => bounded(() => play(s, links ?? [])))]);
  if (failed) throw failed.error;
  const outcomes = settled.map((r) => (r as PromiseFulfilledResult<ScenarioOutcome>).value);

  const first = outcomes[0]!;
  const report = mergeScenarios(outcomes, {
    targetUrl: options.url,
    thirdPartyCookies: first.thirdPartyCookies,
    ...(first.visitor ? { visitor: first.visitor } : {}),
    ...(first.trackingProtection ? { trackingProtection: first.trackingProtection } : {}),
    notes: [
      `Scripted audit, each scenario in its own fresh ${options.browser} profile: ${commandLine(options)}`,
      ...outcomes.flatMap((o) => o.warnings),
    ],
    now: Date.now(),
  });
  if (policy && report.provenance.policy.sha256 !== policy.sha256) {
    throw new AuditFailure(
      `the extension audited with policy sha256 ${report.provenance.policy.sha256}, not ${policy.file} (sha256 ${policy.sha256})`,
    );
  }

  const target = resolve(options.out ?? defaultReportPath(options.url, startedAt));
  await mkdir(dirname(target), { recursive: true });
  // Written whole or not at all: a CI job must never pick up half a report.
  await writeFile(`${target}.partial`, `${JSON.stringify(report, null, 2)}\n`);
  await rename(`${target}.partial`, target);
  const rel = relative(process.cwd(), target);
  const reportPath = rel && !rel.startsWith('..') ? rel : target;
  // Renderings of the same JSON, by the extension's own renderers (npm run render does the same later).
  const lang = options.lang ?? 'fr';
  if (options.html) io.progress(`HTML report: ${await writeHtml(report, lang, options.html)}`);
  if (options.csv) for (const path of await writeCsv(report, lang, options.csv)) io.progress(`CSV: ${path}`);

  const failures = report.scenarios
    .filter((s) => s.consentAction && !s.consentAction.ok)
    .map(
      (s) =>
        `scenario ${s.id}: the ${s.consentAction!.action} choice failed: ${s.consentAction!.error ?? 'unknown reason'}`,
    );
  return { report, reportPath, exitCode: exitCodeOf(report.findings, options.failOn, failures), failures };
}
