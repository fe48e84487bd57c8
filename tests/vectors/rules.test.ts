import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { audit } from '../../lib/rules/audit';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { Knowledge } from '../../lib/knowledge/types';
import { parseFilterList } from '../../lib/knowledge/filter-list';
import { parseOpenCookieDatabase } from '../../lib/knowledge/import-ocd';
import { createLayeredClassifier } from '../../lib/knowledge/layered';
import type { DeclaredPolicy } from '../../lib/policy/types';
import { RULE_IDS, type Finding } from '../../lib/findings';
import { RULES } from '../../lib/rules';
import { expandObservations, loadVectorFiles, type ExpectedFinding, type VectorCase } from './run-vectors';

const builtin = createClassifier(builtinKnowledge);
const files = loadVectorFiles(join(__dirname, 'rules'));

/** A shipped policy by id (`policies/<id>.json`), or fields replacing those of the one it extends. */
function policyFor(spec: VectorCase['policy']): DeclaredPolicy {
  const load = (id: string) =>
    JSON.parse(readFileSync(join(__dirname, `../../policies/${id}.json`), 'utf8')) as DeclaredPolicy;
  if (spec === undefined) return load('o2toit.com');
  if (typeof spec === 'string') return load(spec);
  const { extends: base = 'o2toit.com', ...fields } = spec;
  return { ...load(base), ...fields };
}

/** The built-in base, then the case's own imports, as the extension layers them. */
function knowledgeFor(spec: VectorCase['knowledge']): Knowledge {
  if (!spec) return builtin;
  const layers: Knowledge[] = [builtin];
  if (spec.ocd) {
    const parsed = parseOpenCookieDatabase(spec.ocd, 'vector.csv');
    if (!parsed.ok) throw new Error(`vector OCD: ${JSON.stringify(parsed.errors)}`);
    layers.push(createClassifier(parsed.kb, 'open-cookie-database', 'vector.csv'));
  }
  if (spec.filters) {
    const parsed = parseFilterList(spec.filters, 'vector.txt');
    if (!parsed.ok) throw new Error(`vector filters: ${JSON.stringify(parsed.errors)}`);
    layers.push(parsed.classifier);
  }
  return createLayeredClassifier(layers);
}

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
