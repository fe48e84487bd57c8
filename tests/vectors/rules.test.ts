import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { audit } from '../../lib/engine/audit';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { DeclaredPolicy } from '../../lib/policy/types';
import { RULE_IDS } from '../../lib/report/types';
import { RULES } from '../../lib/rules';
import { expandObservations, loadVectorFiles } from './run-vectors';

const o2toit = JSON.parse(readFileSync(join(__dirname, '../../policies/o2toit.com.json'), 'utf8')) as DeclaredPolicy;
const knowledge = createClassifier(builtinKnowledge);
const files = loadVectorFiles(join(__dirname, 'rules'));

function policyFor(spec: string | Partial<DeclaredPolicy> | undefined): DeclaredPolicy {
  if (spec === undefined || spec === 'o2toit.com') return o2toit;
  if (typeof spec === 'string') throw new Error(`unknown policy ${spec}`);
  return { ...o2toit, ...spec };
}

describe('rule vectors', () => {
  it('every implemented rule has a vector file, and every vector file an implemented rule', () => {
    const implemented = Object.keys(RULES).sort();
    expect(files.map((f) => f.rule).sort()).toEqual(implemented);
    for (const rule of implemented) expect(RULE_IDS).toContain(rule);
  });

  for (const file of files) {
    describe(file.rule, () => {
      for (const c of file.cases) {
        it(c.name, () => {
          const observations = expandObservations(c.observations, c.topSite);
          const findings = audit(observations, policyFor(c.policy), knowledge, { rules: [file.rule] });
          const actual = findings.map((f) => ({
            id: f.id,
            evidence: f.evidence.map((e) => e.seq),
            ...(c.expected.find((e) => e.id === f.id)?.severity ? { severity: f.severity } : {}),
            ...(c.expected.find((e) => e.id === f.id)?.phase ? { phase: f.phase } : {}),
            ...(c.expected.find((e) => e.id === f.id)?.requestedLifetimeDays !== undefined
              ? { requestedLifetimeDays: f.evidence[0]?.requestedLifetimeDays }
              : {}),
            ...(c.expected.find((e) => e.id === f.id)?.effectiveLifetimeDays !== undefined
              ? { effectiveLifetimeDays: f.evidence[0]?.effectiveLifetimeDays }
              : {}),
          }));
          expect(actual).toEqual(c.expected);
          // Determinism: the same input gives the same findings.
          expect(audit(observations, policyFor(c.policy), knowledge, { rules: [file.rule] })).toEqual(findings);
        });
      }
    });
  }
});
