import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import { parsePolicy } from '../../lib/policy/load';
import { buildReport } from '../../lib/report/build-report';
import type { KnowledgeInfo } from '../../lib/report/types';
import schema from '../../lib/schema/audit-report.schema.json';
import { expandObservations } from '../vectors/run-vectors';

const text = readFileSync(join(__dirname, '../../policies/o2toit.com.json'), 'utf8');
const parsed = parsePolicy(text);
if (!parsed.ok) throw new Error('o2toit policy');

describe('the report carries what the policy does not say, and the sources that classified', () => {
  // A live view, as the background passes it: the report must keep a copy, not the view.
  const imports: NonNullable<KnowledgeInfo['imports']> = [
    {
      source: 'filter-list',
      name: 'easyprivacy.txt',
      entries: 55327,
      importedAt: '2026-11-26T10:00:00.000Z',
      sha256: 'a'.repeat(64),
    },
  ];
  const info: KnowledgeInfo = {
    version: builtinKnowledge.version,
    vendors: builtinKnowledge.vendors.length,
    get imports() {
      return imports;
    },
  };
  const report = buildReport({
    observations: expandObservations([
      { kind: 'request', url: 'https://www.o2toit.com/', type: 'main_frame' },
      { kind: 'request', url: 'https://static.hotjar.com/c/hotjar-1.js' },
      { kind: 'cookie', name: 'o2_pref', domain: 'www.o2toit.com', requestedExpiry: '2027-03-10T09:00:00Z' },
    ]),
    policy: parsed.policy,
    policySha256: 'b'.repeat(64),
    knowledge: createClassifier(builtinKnowledge),
    knowledgeInfo: info,
    tool: { name: 'Consent Auditor', version: '0.1.0' },
    browser: { name: 'Chromium', version: '156.0.0.1', userAgent: 'test' },
    targetUrl: 'https://www.o2toit.com/',
    site: 'o2toit.com',
    startedAt: Date.parse('2026-03-10T09:00:00Z'),
    endedAt: Date.parse('2026-03-10T09:01:00Z'),
  });

  it('lists the policy gaps with their clauses, and validates against the published schema', () => {
    expect(report.policyGaps?.map((g) => g.id)).toEqual([
      'no-cookie-list',
      'cookie-types-announced-not-listed',
      'no-vendor-named',
      'no-third-party-lifetime',
      'consent-by-use',
      'browser-settings-only',
      'recaptcha-legitimate-interest',
    ]);
    expect(report.policyGaps?.[4]?.refs).toEqual([
      { section: 'I', quote: expect.stringMatching(/^En utilisant nos services/) },
    ]);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('copies the imported sources into provenance, and compares the policy point by point', () => {
    imports.push({
      source: 'open-cookie-database',
      name: 'late.csv',
      entries: 1,
      importedAt: '2026-11-26T11:00:00.000Z',
      sha256: 'c'.repeat(64),
    });
    expect(report.provenance.knowledge.imports?.map((i) => i.name)).toEqual(['easyprivacy.txt']);
    const ids = report.findings.map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'undeclared-third-party:hotjar',
        'undeclared-category:session-recording',
        'unclassified-cookie:o2_pref@www.o2toit.com',
      ]),
    );
  });
});
