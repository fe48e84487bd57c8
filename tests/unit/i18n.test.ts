/**
 * The message files (locales/<lang>.json) and the pure lookup of lib/i18n: translation, and the
 * completeness that catches a rule added without its French or English messages, or a message whose
 * placeholders do not match the parameters its rule passes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS, type Finding } from '../../lib/findings';
import {
  keySegment,
  LANGS,
  MESSAGES,
  MESSAGE_KEYS,
  placeholdersOf,
  render,
  translate,
  type Param,
  type Text,
} from '../../lib/i18n';
import { audit } from '../../lib/rules/audit';
import catalog from '../../lib/rules/catalog.json';
import { expandObservations, knowledgeFor, loadVectorFiles, policyFor } from '../vectors/run-vectors';

describe('translate', () => {
  it('fills placeholders, nested texts and lists in the chosen language', () => {
    const params = {
      cookie: '_ga',
      domain: '.o2toit.com',
      category: { key: 'category.audienceMeasurement' },
      vendor: 'Google Analytics',
      moment: { key: 'moment.undecided' },
      repeat: { key: 'fragment.times', params: { count: 3 } },
    } as const;
    const en = translate('en', 'finding.cookieBeforeConsent.detail', params);
    const fr = translate('fr', 'finding.cookieBeforeConsent.detail', params);
    expect(en).toBe(
      '_ga on .o2toit.com, a audience-measurement cookie of Google Analytics that needs consent, was set ' +
        'while no consent decision had been observed (silence counts as refusal), 3 times.',
    );
    expect(fr).toContain("mesure d'audience");
    expect(fr).toContain('le silence vaut refus');
    expect(fr).toContain(', 3 fois.');
    expect(
      translate('fr', 'finding.cookieLifetimeExceedsPolicy.also', { limits: { list: ['A', 'B'], join: 'and' } }),
    ).toBe(' Il dépasse aussi A et B.');
    expect(
      translate('en', 'finding.cookieLifetimeExceedsPolicy.also', { limits: { list: ['A', 'B'], join: 'and' } }),
    ).toBe(' It also exceeds A and B.');
  });

  it('chooses plural forms by count', () => {
    expect(translate('en', 'lifetime.months', { count: 1 })).toBe('1 month');
    expect(translate('en', 'lifetime.months', { count: 13 })).toBe('13 months');
    expect(translate('fr', 'lifetime.days', { count: 2 })).toBe('2 jours');
  });

  it('leaves an unknown key and a missing parameter visible rather than throwing', () => {
    expect(translate('fr', 'no.such.key')).toBe('no.such.key');
    expect(translate('en', 'finding.unclassifiedCookie.title')).toBe('Unclassified cookie {cookie}');
  });

  it('turns rule ids into message key segments', () => {
    expect(keySegment('cookie-lifetime-exceeds-policy')).toBe('cookieLifetimeExceedsPolicy');
  });
});

describe('message files', () => {
  it('French and English have the same keys, each with the same placeholders', () => {
    expect([...MESSAGES.fr.keys()].sort()).toEqual([...MESSAGES.en.keys()].sort());
    for (const key of MESSAGE_KEYS) {
      const en = placeholdersOf(MESSAGES.en.get(key)!).sort();
      expect({ key, placeholders: placeholdersOf(MESSAGES.fr.get(key)!).sort() }).toEqual({ key, placeholders: en });
    }
  });

  it('uses only key segments the browsers accept in _locales, and no $ (a browser placeholder)', () => {
    for (const key of MESSAGE_KEYS) expect(key).toMatch(/^[A-Za-z0-9]+(\.[A-Za-z0-9]+)*$/);
    for (const lang of LANGS)
      for (const [key, value] of MESSAGES[lang])
        expect({ key, value: JSON.stringify(value) }).not.toMatchObject({ value: expect.stringContaining('$') });
  });

  it('names and explains every rule of RULE_IDS in both languages', () => {
    for (const rule of RULE_IDS)
      for (const lang of LANGS)
        for (const part of ['name', 'summary'])
          expect({ rule, lang, part, has: MESSAGES[lang].has(`rule.${keySegment(rule)}.${part}`) }).toEqual({
            rule,
            lang,
            part,
            has: true,
          });
  });

  it('quotes every legal point in French as well as in English', () => {
    for (const [key, ref] of Object.entries(catalog.legalRefs))
      expect({ key, fr: (ref as { pointFr?: string }).pointFr?.length ?? 0 }).not.toEqual({ key, fr: 0 });
  });
});

/** Every text of a message, nested ones included, with its parameters. */
function textsOf(t: Text): Text[] {
  const nested = Object.values(t.params ?? {}).flatMap(function expand(p: Param): Text[] {
    if (typeof p !== 'object') return [];
    return 'list' in p ? p.list.flatMap(expand) : textsOf(p);
  });
  return [t, ...nested];
}

describe('finding messages of every rule vector', () => {
  const findings: Finding[] = loadVectorFiles(join(__dirname, '../vectors/rules')).flatMap((file) =>
    file.cases.flatMap((c) =>
      audit(expandObservations(c.observations, c.topSite), policyFor(c.policy), knowledgeFor(c.knowledge), {
        rules: [file.rule],
      }),
    ),
  );

  it('exercise every rule of RULE_IDS', () => {
    expect([...new Set(findings.map((f) => f.rule))].sort()).toEqual([...RULE_IDS].sort());
  });

  it("use keys of the rule's own messages, present in both languages, whose placeholders are exactly their parameters", () => {
    for (const f of findings) {
      expect(f.message.title.key.startsWith(`finding.${keySegment(f.rule)}.`)).toBe(true);
      expect(f.message.detail.key.startsWith(`finding.${keySegment(f.rule)}.`)).toBe(true);
      for (const t of [...textsOf(f.message.title), ...textsOf(f.message.detail)])
        for (const lang of LANGS) {
          const value = MESSAGES[lang].get(t.key);
          expect({ finding: f.id, lang, key: t.key, found: value !== undefined }).toEqual({
            finding: f.id,
            lang,
            key: t.key,
            found: true,
          });
          const params = Object.keys(t.params ?? {}).sort();
          expect({ finding: f.id, lang, key: t.key, params }).toEqual({
            finding: f.id,
            lang,
            key: t.key,
            params: placeholdersOf(value!).sort(),
          });
        }
    }
  });

  it('keep title and detail as the English rendering, and render in French with no placeholder left', () => {
    for (const f of findings) {
      expect(f.title).toBe(render('en', f.message.title));
      expect(f.detail).toBe(render('en', f.message.detail));
      const fr = render('fr', f.message.detail);
      expect(fr).not.toMatch(/\{\w+\}/);
      expect(fr).not.toBe(f.detail);
    }
  });
});
