/**
 * The inputs of the engine snapshot (tests/unit/engine-snapshot.test.ts): every rule vector, and
 * large generated visits, each built into a full report. `tests/unit/engine-snapshot-write.ts (npx tsx)` writes the
 * digests of their JSON to tests/unit/data/engine-snapshot.json; the test rebuilds them and
 * compares, so a change to how the engine computes (not what it finds) keeps reports byte-identical.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { CookieObservation, CookieVia, Observation, Scenario } from '../../lib/observations';
import { buildReport, type ReportInput } from '../../lib/report/build-report';
import type { AuditReport } from '../../lib/report/types';
import { mixedObservations } from '../../scripts/bench/corpus';
import { expandObservations, knowledgeFor, loadVectorFiles, policyFor } from '../vectors/run-vectors';

export interface SnapshotCase {
  name: string;
  input: ReportInput;
}

const fixed = (observations: readonly Observation[]): Omit<ReportInput, 'observations' | 'policy' | 'knowledge'> => {
  const first = observations[0]?.time ?? 0;
  const last = observations.at(-1)?.time ?? 0;
  return {
    policySha256: '0'.repeat(64),
    knowledgeInfo: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
    tool: { name: 'consent-auditor', version: 'snapshot' },
    browser: { name: 'snapshot', version: '0', userAgent: 'snapshot' },
    targetUrl: 'https://www.o2toit.com/',
    site: 'o2toit.com',
    startedAt: first,
    endedAt: last,
    now: last,
  };
};

const VIAS: CookieVia[] = ['set-cookie-header', 'cookies-api', 'document.cookie', 'cookies-api'];

/**
 * A generated visit made harder: cookie writes come by every channel (so pairing joins requested
 * and stored writes), some are removals, and the visit is split into scenarios.
 */
function varied(count: number, scenarios: Scenario[]): Observation[] {
  const list = mixedObservations(builtinKnowledge, count, 11);
  return list.map((o, i) => {
    const scenario = scenarios[Math.floor((i * scenarios.length) / list.length)];
    const tagged = scenario ? { ...o, scenario } : o;
    if (tagged.kind !== 'cookie') return tagged;
    const via = VIAS[i % VIAS.length]!;
    const cookie: CookieObservation = {
      ...tagged,
      via,
      source: via === 'cookies-api' ? 'cookies-api' : via === 'set-cookie-header' ? 'webRequest' : 'page-hook',
      ...(i % 17 === 0 ? { action: 'removed' } : {}),
      ...(i % 23 === 0 ? { snapshot: true } : {}),
    };
    return cookie;
  });
}

export function snapshotCases(): SnapshotCase[] {
  const cases: SnapshotCase[] = [];
  for (const file of loadVectorFiles(join(import.meta.dirname, '../vectors/rules'))) {
    file.cases.forEach((c, i) => {
      const observations = expandObservations(c.observations, c.topSite);
      cases.push({
        name: `${file.file}#${i} ${c.name}`,
        input: {
          observations,
          policy: policyFor(c.policy),
          knowledge: knowledgeFor(c.knowledge),
          ...fixed(observations),
        },
      });
    });
  }
  const knowledge = createClassifier(builtinKnowledge);
  const policy = policyFor(undefined);
  const mixed = mixedObservations(builtinKnowledge, 20_000);
  cases.push({
    name: 'mixed visit, 20,000 observations',
    input: { observations: mixed, policy, knowledge, ...fixed(mixed) },
  });
  const split = varied(8_000, ['accept', 'reject']);
  cases.push({
    name: 'varied visit, 8,000 observations in two scenarios',
    input: { observations: split, policy, knowledge, ...fixed(split) },
  });
  const one = varied(8_000, []);
  cases.push({
    name: 'varied visit, 8,000 observations',
    input: { observations: one, policy, knowledge, ...fixed(one) },
  });
  return cases;
}

export interface SnapshotEntry {
  sha256: string;
  bytes: number;
  findings: number;
  evidence: number;
}

export function snapshotOf(report: AuditReport): SnapshotEntry {
  const json = JSON.stringify(report);
  return {
    sha256: createHash('sha256').update(json).digest('hex'),
    bytes: json.length,
    findings: report.findings.length,
    evidence: report.findings.reduce((n, f) => n + f.evidence.length, 0),
  };
}

export const buildSnapshot = (c: SnapshotCase) => snapshotOf(buildReport(c.input));
