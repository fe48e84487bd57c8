/**
 * The `buildReport` input the report unit tests share: the o2toit policy, the built-in knowledge
 * base, fixed provenance and a fixed start time, with whatever a test needs overridden.
 */
import { readFileSync } from 'node:fs';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { Observation } from '../../lib/observations';
import type { DeclaredPolicy } from '../../lib/policy/types';
import type { ReportInput } from '../../lib/report/build-report';

export const T0 = Date.parse('2026-03-10T09:00:00.000Z');

export const o2toitPolicy = JSON.parse(
  readFileSync(new URL('../../policies/o2toit.com.json', import.meta.url), 'utf8'),
) as DeclaredPolicy;

export const builtinClassifier = createClassifier(builtinKnowledge);

export function reportInput(observations: readonly Observation[], overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    observations,
    policy: o2toitPolicy,
    policySha256: 'a'.repeat(64),
    knowledge: builtinClassifier,
    knowledgeInfo: { version: builtinKnowledge.version, vendors: builtinKnowledge.vendors.length },
    tool: { name: 'Consent Auditor', version: '0.1.0' },
    browser: { name: 'Chromium', version: '156', userAgent: 'HeadlessChrome' },
    targetUrl: 'https://www.o2toit.com/',
    site: 'o2toit.com',
    startedAt: T0,
    endedAt: T0 + 10_000,
    ...overrides,
  };
}
