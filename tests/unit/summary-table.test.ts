import { describe, expect, it } from 'vitest';
import type { Finding } from '../../lib/findings';
import type { AuditReport } from '../../lib/report/types';
import { formatSummary } from '../../scripts/cli/summary-table';

const finding = (
  rule: Finding['rule'],
  severity: Finding['severity'],
  key: string,
  label: string,
  scenario: 'none' | 'accept' | 'reject',
): Finding => ({
  id: `${rule}:${key}:${scenario}`,
  rule,
  severity,
  scenario,
  phase: 'before-consent',
  title: 't',
  detail: 'd',
  message: {
    title: { key: 'finding.trackerBeforeConsent.title' },
    detail: { key: 'finding.trackerBeforeConsent.detail' },
  },
  subject: { kind: 'vendor', key, label },
  policyRefs: [],
  legalRefs: [],
  evidence: [{ kind: 'request', seq: 1, time: '2026-01-01T00:00:00.000Z', phase: 'before-consent', scenario }],
});

const run = (id: 'none' | 'accept' | 'reject', extra: Partial<AuditReport['scenarios'][number]> = {}) => ({
  id,
  startedAt: 'x',
  endedAt: 'y',
  pages: ['https://a.test/'],
  ...extra,
});

const report = {
  provenance: {
    tool: { name: 'Consent Auditor', version: '0.1.0' },
    browser: { name: 'Chromium', version: '156.0.1.2', userAgent: '', thirdPartyCookies: 'allowed' },
    targetUrl: 'https://a.test/',
    policy: { id: 'a.test', version: '1', sha256: '', title: '' },
  },
  scenarios: [
    run('none'),
    run('accept', { decision: { decision: 'accept', time: 't', how: 'h', trusted: true } }),
    run('reject', { consentAction: { action: 'reject', ok: false, error: 'no banner' } }),
  ],
  findings: [
    finding('tracker-before-consent', 'high', 'ga', 'Google Analytics', 'none'),
    finding('cookie-lifetime-exceeds-policy', 'medium', 'x', 'x (a.test)', 'accept'),
    finding('tracker-before-consent', 'high', 'ga', 'Google Analytics', 'reject'),
    finding('tracking-after-refusal', 'high', 'fb', 'A vendor with a name far too long for the column', 'reject'),
  ],
} as unknown as AuditReport;

describe('formatSummary', () => {
  const lines = formatSummary(report, 'reports/a.test.json').split('\n');

  it('has one row per finding across scenarios, most severe first, and a column per scenario', () => {
    expect(lines[2]).toMatch(/^\s+rule\s+subject\s+none\s+accept\s+reject$/);
    expect(lines[3]).toMatch(/^high\s+tracker-before-consent\s+Google Analytics\s+x\s+-\s+x$/);
    expect(lines[4]).toMatch(/^high\s+tracking-after-refusal\s+A vendor with a name far too long for…\s+-\s+-\s+x$/);
    expect(lines[5]).toMatch(/^medium\s+cookie-lifetime-exceeds-policy\s+x \(a\.test\)\s+-\s+x\s+-$/);
  });

  it('ends with counts, decisions, pages, failed choices and the report path', () => {
    const text = lines.join('\n');
    expect(text).toMatch(/findings\s+1\s+1\s+2/);
    expect(text).toMatch(/decision\s+none\s+accepted\s+FAILED/);
    expect(text).toMatch(/pages\s+1\s+1\s+1/);
    expect(text).toContain('reject: the reject choice failed: no banner');
    expect(lines.at(-1)).toBe('Report: reports/a.test.json');
    expect(lines[0]).toBe(
      'Consent Auditor 0.1.0: https://a.test/, policy a.test 1, Chromium 156.0.1.2 (third-party cookies allowed)',
    );
  });
});
