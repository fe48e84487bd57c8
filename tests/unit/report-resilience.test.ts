/**
 * A report is always produced: an observation with an absurd date, a rule that throws, a knowledge
 * source that throws, a malformed record. Each time the report is still built, the rest of the audit
 * stands, and `errors` names the part that failed and why.
 */
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import reportSchema from '../../lib/schema/audit-report.schema.json';
import { headerCookieObservations } from '../../lib/collectors/normalize';
import type { Knowledge } from '../../lib/knowledge/types';
import type { Observation } from '../../lib/observations';
import { buildReport, type ReportInput } from '../../lib/report/build-report';
import { RULES } from '../../lib/rules';
import { expandObservations } from '../vectors/run-vectors';
import { builtinClassifier, reportInput, T0 } from './report-input';

const knowledge = builtinClassifier;
const validate = new Ajv({ allErrors: true, strict: false }).compile(reportSchema);

const base = expandObservations([
  { kind: 'request', url: 'https://www.o2toit.com/', type: 'main_frame' },
  { kind: 'request', url: 'https://www.googletagmanager.com/gtag/js?id=G-FIXTURE1', type: 'script' },
]);

function build(observations: readonly Observation[], extra: Partial<ReportInput> = {}) {
  return buildReport(reportInput(observations, extra));
}

/** The `_ga` header of the issue, as the request collector records it. */
function hugeMaxAge(): Observation {
  const { observations } = headerCookieObservations(
    {
      requestId: '9',
      url: 'https://www.o2toit.com/',
      method: 'GET',
      type: 'main_frame',
      tabId: 1,
      frameId: 0,
      timeStamp: T0 + 3_000,
      responseHeaders: [
        { name: 'Set-Cookie', value: '_ga=GA1.1.123.456; Max-Age=99999999999999; Domain=.o2toit.com; Path=/' },
      ],
    },
    'o2toit.com',
  );
  return { ...observations[0]!, seq: 3 } as Observation;
}

describe('a report is always produced', () => {
  it('an absurd Max-Age clamps to a representable date: the report is built and judges the cookie', () => {
    const r = build([...base, hugeMaxAge()]);
    expect(r.errors).toEqual([]);
    const lifetime = r.findings.find((f) => f.id === 'cookie-lifetime-exceeds-policy:_ga@o2toit.com');
    expect(lifetime?.evidence[0]?.requestedExpiry).toBe('9999-12-31T23:59:59.999Z');
    expect(r.findings.map((f) => f.id)).toContain('cookie-before-consent:_ga@o2toit.com');
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
  });

  it('an observation with a time no Date can hold still gives a report', () => {
    const absurd = { ...base[1]!, seq: 3, time: 1e300 } as Observation;
    const r = build([...base, absurd], { endedAt: 1e300 });
    expect(r.observations.requests).toHaveLength(3);
    expect(r.provenance.endedAt).toBe('9999-12-31T23:59:59.999Z');
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a rule that throws is skipped and named; the other rules still report', () => {
    const r = build(base, {
      auditOptions: {
        ruleTable: {
          ...RULES,
          'cookie-before-consent': () => {
            throw new RangeError('Invalid time value');
          },
        },
      },
    });
    expect(r.errors).toEqual([
      { part: 'rule cookie-before-consent', reason: 'RangeError: Invalid time value: its findings are missing' },
    ]);
    expect(r.findings.map((f) => f.id)).toContain('tracker-before-consent:google-tag-manager');
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a knowledge source that throws costs the rules that needed it, not the report', () => {
    const broken: Knowledge = {
      ...knowledge,
      classifyUrl: () => {
        throw new Error('list corrupted');
      },
    };
    const r = buildReport({ ...inputOf(base), knowledge: broken });
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) expect(e.reason).toMatch(/^Error: list corrupted/);
    expect(r.errors.map((e) => e.part)).toContain('rule tracker-before-consent');
    expect(r.observations.requests).toHaveLength(2);
  });

  it('a malformed record is left out and named', () => {
    const broken = { kind: 'cookie', seq: 7, time: Number.NaN } as unknown as Observation;
    const r = build([...base, broken]);
    expect(r.errors).toEqual([
      {
        part: 'observation 7',
        reason: 'malformed record (unknown kind, or no finite seq, time or url): left out of the audit',
      },
    ]);
    expect(r.findings.map((f) => f.id)).toContain('tracker-before-consent:google-tag-manager');
  });
});

function inputOf(observations: readonly Observation[]): ReportInput {
  return reportInput(observations);
}
