/**
 * Merges the per-scenario reports of a scripted audit into one AuditReport. Each scenario ran in its
 * own fresh browser profile and the extension built its report there, so this only relabels and
 * concatenates: nothing is re-audited (no second engine). Observations, findings and evidence are
 * tagged with their scenario, finding ids get a `:<scenario>` suffix so they stay unique, the
 * summary is recomputed, and provenance keeps the browser, the cookie setting and the policy.
 *
 * Nothing a scenario's report carries is dropped: each scenario keeps every field of its own run
 * (untrusted signals, later decisions...), and any other top-level field is carried generically
 * (arrays concatenated without duplicates, such as the policy's gaps), so a field added to the
 * report later reaches the command line's report too (tests/unit/merge-roundtrip.test.ts).
 */
import type { Scenario } from '../observations';
import { redactUrl } from '../identifiers';
import { isoTime } from '../time';
import type { Finding, Severity } from '../findings';
import {
  SCHEMA_VERSION,
  type AuditReport,
  type ConsentActionRecord,
  type JourneyStepRecord,
  type ScenarioRun,
  type VisitorInfo,
} from './types';

/** One scenario's run: the extension's report for the audited tab, plus what the runner knows. */
export interface ScenarioResult {
  scenario: Exclude<Scenario, 'interactive'>;
  report: AuditReport;
  /** The run's own start and end, ms since the epoch (launch to report). */
  startedAt: number;
  endedAt: number;
  /** Pages visited, final URLs, in order; default: the pages the extension saw. */
  pages?: string[];
  consentAction?: ConsentActionRecord;
  /** A journey's steps (scripts/cli/journeys.ts). */
  journey?: JourneyStepRecord[];
}

export interface MergeOptions {
  /** The URL the auditor asked for (before redirects). */
  targetUrl: string;
  /** How the profiles treated third-party cookies, e.g. `allowed`. */
  thirdPartyCookies?: string;
  trackingProtection?: string;
  /** What the audited site saw of the scripted browser. */
  visitor?: VisitorInfo;
  /** Extra provenance notes (command line, skipped pages). */
  notes?: string[];
  /** Time of the merge, ms since the epoch. */
  now: number;
}

const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];
const iso = isoTime;

/** Counts findings by severity and by rule. */
export function summarize(findings: readonly Finding[]): AuditReport['summary'] {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: AuditReport['summary']['byRule'] = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  }
  return { findings: findings.length, bySeverity, byRule };
}

/** A finding of one scenario, with its id suffixed and every piece of evidence tagged. */
function tagFinding(f: Finding, scenario: ScenarioResult['scenario']): Finding {
  if (f.scenario !== undefined && f.scenario !== scenario) {
    throw new Error(`finding ${f.id} belongs to scenario ${f.scenario}, not ${scenario}`);
  }
  const id = f.scenario === scenario && f.id.endsWith(`:${scenario}`) ? f.id : `${f.id}:${scenario}`;
  return { ...f, id, scenario, evidence: f.evidence.map((e) => ({ ...e, scenario })) };
}

/** Throws when the runs disagree on what must be one thing in a merged report. */
function checkSame(results: readonly ScenarioResult[], what: string, key: (r: AuditReport) => string): void {
  const values = new Set(results.map((r) => key(r.report)));
  if (values.size > 1)
    throw new Error(`cannot merge scenarios audited with different ${what}: ${[...values].join(' / ')}`);
}

/** Merges scenario runs, in the order given, into one report. Throws on an empty or inconsistent input. */
export function mergeScenarios(results: readonly ScenarioResult[], options: MergeOptions): AuditReport {
  const first = results[0];
  if (!first) throw new Error('no scenario to merge');
  const seen = new Set<string>();
  for (const r of results) {
    if (seen.has(r.scenario)) throw new Error(`scenario ${r.scenario} given twice`);
    seen.add(r.scenario);
  }
  const p = (r: AuditReport) => r.provenance;
  checkSame(results, 'policies', (r) => `${p(r).policy.id} ${p(r).policy.version} ${p(r).policy.sha256}`);
  checkSame(results, 'browsers', (r) => `${p(r).browser.name} ${p(r).browser.version}`);
  checkSame(results, 'knowledge bases', (r) => `${p(r).knowledge.version}`);
  checkSame(results, 'sites', (r) => p(r).site);
  checkSame(results, 'identifier modes', (r) => p(r).identifiers ?? 'redacted');

  // The runner's own URLs (pages it visited, the target) get the redaction the extension gave its own.
  const kept = p(first.report).identifiers === 'kept';
  const url = (u: string) => (kept ? u : redactUrl(u));
  const scenarios: ScenarioRun[] = results.map((r) => {
    const own = r.report.scenarios[0];
    return {
      ...own,
      id: r.scenario,
      startedAt: iso(r.startedAt),
      endedAt: iso(r.endedAt),
      // The runner's pages, then those the browser alone saw (history API, prerender activation).
      pages: [
        ...new Set([
          ...(r.pages ?? own?.pages ?? []).map(url),
          ...(r.report.observations.pages ?? []).filter((o) => o.navigation !== 'back-forward-cache').map((o) => o.url),
        ]),
      ],
      ...(r.consentAction ? { consentAction: r.consentAction } : {}),
      ...(r.journey ? { journey: r.journey } : {}),
    };
  });
  const tag = <O extends { scenario?: Scenario }>(list: readonly O[], scenario: Scenario): O[] =>
    list.map((o) => ({ ...o, scenario }));
  const observations: AuditReport['observations'] = { cookies: [], requests: [], storage: [], consent: [] };
  for (const r of results) {
    observations.cookies.push(...tag(r.report.observations.cookies, r.scenario));
    observations.requests.push(...tag(r.report.observations.requests, r.scenario));
    observations.storage.push(...tag(r.report.observations.storage, r.scenario));
    observations.consent.push(...tag(r.report.observations.consent, r.scenario));
    const probes = r.report.observations.fingerprinting;
    if (probes?.length) (observations.fingerprinting ??= []).push(...tag(probes, r.scenario));
    const pages = r.report.observations.pages;
    if (pages?.length) (observations.pages ??= []).push(...tag(pages, r.scenario));
    const names = r.report.observations.dns;
    if (names?.length) (observations.dns ??= []).push(...tag(names, r.scenario));
  }
  // Scenario by scenario, each in the engine's own order (most severe first).
  const findings = results.flatMap((r) => r.report.findings.map((f) => tagFinding(f, r.scenario)));
  const notes = [...new Set([...results.flatMap((r) => p(r.report).notes), ...(options.notes ?? [])])];
  const refused = results.flatMap((r) => tag(r.report.refusedCookies ?? [], r.scenario));
  const errors = results.flatMap((r) =>
    (r.report.errors ?? []).map((e) => ({ ...e, part: `${e.part} [scenario ${r.scenario}]` })),
  );

  return {
    ...carryOthers(results),
    schemaVersion: SCHEMA_VERSION,
    generatedAt: iso(options.now),
    provenance: {
      ...p(first.report),
      browser: {
        ...p(first.report).browser,
        ...(options.thirdPartyCookies ? { thirdPartyCookies: options.thirdPartyCookies } : {}),
        ...(options.trackingProtection ? { trackingProtection: options.trackingProtection } : {}),
        ...(options.visitor ? { visitor: options.visitor } : {}),
      },
      startedAt: iso(Math.min(...results.map((r) => r.startedAt))),
      endedAt: iso(Math.max(...results.map((r) => r.endedAt))),
      targetUrl: url(options.targetUrl),
      notes,
    },
    scenarios,
    observations,
    findings,
    summary: summarize(findings),
    ...(refused.length ? { refusedCookies: refused } : {}),
    errors,
  };
}

/** Top-level fields merged above; every other one is carried by {@link carryOthers}. */
const MERGED = new Set([
  'schemaVersion',
  'generatedAt',
  'provenance',
  'scenarios',
  'observations',
  'findings',
  'summary',
  'refusedCookies',
  'errors',
]);

/** Fields of the per-scenario reports not merged explicitly: arrays joined (no duplicates), else the first. */
function carryOthers(results: readonly ScenarioResult[]): Record<string, unknown> {
  const carried: Record<string, unknown> = {};
  for (const r of results) {
    for (const [key, value] of Object.entries(r.report)) {
      if (MERGED.has(key) || value === undefined) continue;
      if (!Array.isArray(value)) {
        if (!(key in carried)) carried[key] = value;
        continue;
      }
      const list = (carried[key] as unknown[] | undefined) ?? [];
      const seen = new Set(list.map((v) => JSON.stringify(v)));
      for (const v of value) if (!seen.has(JSON.stringify(v))) list.push(v);
      carried[key] = list;
    }
  }
  return carried;
}
