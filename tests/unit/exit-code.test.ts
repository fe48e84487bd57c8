import { describe, expect, it } from 'vitest';
import type { Severity } from '../../lib/findings';
import { exitCodeOf } from '../../scripts/cli/exit-code';

const SEVERITIES: Severity[] = ['high', 'medium', 'low', 'info'];
/** What each --fail-on threshold fails on, written out (help.ts: "that severity or above"). */
const FAILS_ON: Record<'high' | 'medium' | 'low', Severity[]> = {
  high: ['high'],
  medium: ['high', 'medium'],
  low: ['high', 'medium', 'low'],
};
const only = (severity: Severity) => [{ severity }];

describe('the command exit status (--fail-on, failed scenarios)', () => {
  for (const [failOn, failing] of Object.entries(FAILS_ON) as Array<[keyof typeof FAILS_ON, Severity[]]>) {
    for (const severity of SEVERITIES) {
      const expected = failing.includes(severity) ? 1 : 0;
      it(`--fail-on ${failOn} with one ${severity} finding exits ${expected}`, () => {
        expect(exitCodeOf(only(severity), failOn, [])).toBe(expected);
      });
    }
    it(`--fail-on ${failOn} with no finding exits 0`, () => {
      expect(exitCodeOf([], failOn, [])).toBe(0);
    });
  }

  it('without --fail-on, findings of any severity exit 0', () => {
    expect(
      exitCodeOf(
        SEVERITIES.map((severity) => ({ severity })),
        undefined,
        [],
      ),
    ).toBe(0);
  });

  it('a failed scenario exits 2, winning over findings at or above --fail-on', () => {
    const failures = ['scenario reject: the reject choice failed: no banner'];
    for (const failOn of [undefined, 'high', 'medium', 'low'] as const) {
      expect(exitCodeOf([], failOn, failures)).toBe(2);
      expect(exitCodeOf(only('high'), failOn, failures)).toBe(2);
    }
  });

  it('a low finding among info ones is enough under --fail-on low, not under medium', () => {
    const findings = [{ severity: 'info' as const }, { severity: 'low' as const }, { severity: 'info' as const }];
    expect(exitCodeOf(findings, 'low', [])).toBe(1);
    expect(exitCodeOf(findings, 'medium', [])).toBe(0);
  });
});
