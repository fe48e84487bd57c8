import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { audit } from '../../lib/rules/audit';
import { RULE_IDS, type Finding } from '../../lib/findings';
import { RULES } from '../../lib/rules';
import { expandObservations, knowledgeFor, loadVectorFiles, policyFor, type ExpectedFinding } from './run-vectors';

const files = loadVectorFiles(join(__dirname, 'rules'));

/** The fields of a finding a vector asked about, in the vector's own terms. */
function observed(f: Finding, want: ExpectedFinding | undefined): Record<string, unknown> {
  const c = f.classifiedBy;
  const classifiedBy = !c ? null : want?.classifiedBy?.includes(': ') ? `${c.source}: ${c.matchedBy}` : c.source;
  const picks: Record<string, unknown> = {
    severity: f.severity,
    phase: f.phase,
    requestedLifetimeDays: f.evidence[0]?.requestedLifetimeDays,
    effectiveLifetimeDays: f.evidence[0]?.effectiveLifetimeDays,
    judged: f.evidence[0]?.judged,
    subjectKind: f.subject.kind,
    category: f.category,
    classifiedBy,
    policySections: f.policyRefs.map((r) => r.section),
  };
  return Object.fromEntries(Object.entries(picks).filter(([key]) => want && key in want));
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
          const knowledge = knowledgeFor(c.knowledge);
          const findings = audit(observations, policyFor(c.policy), knowledge, { rules: [file.rule] });
          const actual = findings.map((f) => ({
            id: f.id,
            evidence: f.evidence.map((e) => e.seq),
            ...observed(
              f,
              c.expected.find((e) => e.id === f.id),
            ),
          }));
          expect(actual).toEqual(c.expected);
          // Determinism: the same input gives the same findings.
          expect(audit(observations, policyFor(c.policy), knowledge, { rules: [file.rule] })).toEqual(findings);
        });
      }
    });
  }
});
