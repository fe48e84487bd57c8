import { describe, expect, it } from 'vitest';
import { contrastRatio, parseRgb } from '../../lib/consent/contrast';
import { aboutConsent, classifyControl } from '../../lib/consent/journey-classify';
import type { ChoicePath, ControlMeasure } from '../../lib/journey';
import { render } from '../../lib/i18n';
import { refusalProblems as problemTexts } from '../../lib/rules/refusal-harder-than-acceptance';

const refusalProblems = (...args: Parameters<typeof problemTexts>) => problemTexts(...args).map((t) => render('en', t));
import { parseArgs } from '../../scripts/cli/parse-args';
import { formatSummary } from '../../scripts/cli/summary-table';
import type { AuditReport } from '../../lib/report/types';

describe('journey control classes', () => {
  it.each([
    ['Tout accepter', 'accept'],
    ['Tout refuser', 'refuse'],
    ['Continuer sans accepter', 'refuse'],
    ['Paramétrer', 'settings'],
    ['Personnaliser', 'settings'],
    ['Gérer mes cookies', 'settings'],
    ['Enregistrer mes choix', 'save'],
    ['Retirer mon consentement', 'withdraw'],
  ])('%s is %s', (label, kind) => expect(classifyControl(label)).toBe(kind));

  it('a switch is a purpose, not a choice, and an unknown label means nothing', () => {
    expect(classifyControl('Tout accepter', 'switch')).toBeNull();
    expect(classifyControl('Page 2')).toBeNull();
  });

  it('a settings control elsewhere on the page counts only when it speaks of cookies or consent', () => {
    expect(aboutConsent('Gérer mes cookies')).toBe(true);
    expect(aboutConsent('Paramètres du compte')).toBe(false);
  });
});

describe('contrast', () => {
  it('follows WCAG 2: black on white is 21:1, a colour on itself 1:1, alpha blends over white', () => {
    expect(contrastRatio('rgb(0, 0, 0)', 'rgb(255, 255, 255)')).toBe(21);
    expect(contrastRatio('rgb(0, 80, 200)', 'rgb(0, 80, 200)')).toBe(1);
    expect(contrastRatio('rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)')).toBe(1);
    expect(parseRgb('rgb(1 2 3 / 50%)')).toEqual([1, 2, 3, 0.5]);
    expect(contrastRatio('currentcolor', 'rgb(0, 0, 0)')).toBeUndefined();
  });
});

describe('refusalProblems', () => {
  const button: ControlMeasure = {
    text: 'Tout accepter',
    kind: 'accept',
    tag: 'button',
    width: 180,
    height: 44,
    fontSize: 16,
    color: 'rgb(255, 255, 255)',
    background: 'rgb(0, 80, 200)',
  };
  const path = (control: ControlMeasure, layer = 0, steps = layer + 1): ChoicePath => ({ steps, layer, control });

  it('a refusal alike and beside the acceptance has no problem', () => {
    expect(refusalProblems(path(button), path({ ...button, text: 'Tout refuser', kind: 'refuse' }))).toEqual([]);
  });

  it('names each way the refusal is harder, at the thresholds', () => {
    // Just above each threshold: half the area, 80% of the font size, half the contrast.
    const near = { ...button, width: 90.5, fontSize: 12.8 };
    expect(refusalProblems(path(button), path(near))).toEqual([]);
    const small = { ...button, width: 89, fontSize: 12 };
    expect(refusalProblems(path(button), path(small, 1))).toEqual([
      'no refusal on the first layer: refusing is on layer 2',
      'refusing takes 2 clicks, accepting 1',
      "the refuse control is 49% of the accept control's size",
      "its text is 12 px, the accept control's 16 px",
    ]);
    expect(refusalProblems(path(button), undefined)).toEqual([
      'no way to refuse was found on any layer, while accepting takes one click',
    ]);
  });
});

describe('--scenario', () => {
  const scenarios = (argv: string[]) => {
    const r = parseArgs(['https://a.test/', ...argv]);
    if (r.kind !== 'options') throw new Error(JSON.stringify(r));
    return r.options.scenarios;
  };
  it('all includes the journeys; a list runs in the canonical order; the default is the three choices', () => {
    expect(scenarios(['--scenario', 'all'])).toEqual([
      'none',
      'accept',
      'reject',
      'revisit-accept',
      'revisit-reject',
      'withdrawal',
      'layers',
    ]);
    expect(scenarios(['--scenario', 'layers,withdrawal'])).toEqual(['withdrawal', 'layers']);
    expect(scenarios([])).toEqual(['none', 'accept', 'reject']);
  });
  it('refuses unknown and repeated names; a selector serves the journeys that choose', () => {
    expect(parseArgs(['https://a.test/', '--scenario', 'layers,maybe'])).toMatchObject({ kind: 'error' });
    expect(parseArgs(['https://a.test/', '--scenario', 'layers,layers'])).toMatchObject({ kind: 'error' });
    expect(parseArgs(['https://a.test/', '--scenario', 'withdrawal', '--accept-selector', '#ok']).kind).toBe('options');
    expect(parseArgs(['https://a.test/', '--scenario', 'layers', '--accept-selector', '#ok']).kind).toBe('error');
  });
});

describe('the summary of journeys', () => {
  it('shows each journey as a column, with what it did', () => {
    const run = (id: AuditReport['scenarios'][number]['id'], extra = {}) => ({
      id,
      startedAt: 'x',
      endedAt: 'y',
      pages: ['https://a.test/'],
      ...extra,
    });
    const report = {
      provenance: {
        tool: { name: 'Consent Auditor', version: '0.1.0' },
        browser: { name: 'Chromium', version: '156', userAgent: '' },
        targetUrl: 'https://a.test/',
        policy: { id: 'a.test', version: '1', sha256: '', title: '' },
      },
      scenarios: [
        run('withdrawal', {
          decision: { decision: 'accept', time: 't', how: 'h', trusted: true },
          journey: [{ goal: 'withdraw', done: true, detail: 'd' }],
        }),
        run('layers', { journey: [{ goal: 'measure', done: false, detail: 'no banner' }] }),
      ],
      findings: [],
    } as unknown as AuditReport;
    const lines = formatSummary(report, 'r.json').split('\n');
    expect(lines.find((l) => l.includes('rule'))).toMatch(/withdrawal\s+layers$/);
    expect(lines.find((l) => l.includes('decision'))).toMatch(/withdrawn\s+no banner$/);
  });
});
