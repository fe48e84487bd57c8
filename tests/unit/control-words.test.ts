import { describe, expect, it } from 'vitest';
import { controlKind, decisionOfKind } from '../../lib/consent/control-kind';
import {
  classifyControl,
  classifyLabel,
  consentWords,
  KIND_ORDER,
  normaliseLabel,
  type ControlDescription,
  type ControlKind,
} from '../../lib/consent/control-words';
import words from '../../lib/consent/control-words.json';
import vectors from '../vectors/consent/control-words.json';

describe('control words: the lists', () => {
  it('have one entry per kind, every phrase normalised already (what the matcher compares)', () => {
    expect(Object.keys(words.kinds).sort()).toEqual([...KIND_ORDER].sort());
    for (const [kind, entry] of Object.entries(words.kinds)) {
      for (const phrase of [...entry.phrases, ...entry.exact]) {
        const bare = phrase.replace(/\*/g, '');
        expect(normaliseLabel(bare), `${kind}: "${phrase}"`).toBe(bare.replace(/-/g, ' '));
        expect(phrase.indexOf('*') === -1 || phrase.indexOf('*') >= 2, `${kind}: "${phrase}" prefix too short`).toBe(
          true,
        );
      }
    }
  });
});

describe('control words: labels', () => {
  it.each(vectors.labels as Array<[string, ControlKind | null]>)('"%s" is %s', (label, kind) => {
    expect(classifyLabel(label)?.kind ?? null).toBe(kind);
  });

  it.each(vectors.controls as Array<[ControlDescription, ControlKind | null, string | null]>)(
    'control %j is %s (from %s)',
    (control, kind, from) => {
      const found = classifyControl(control);
      expect(found?.kind ?? null).toBe(kind);
      expect(found?.from ?? null).toBe(from);
    },
  );

  it('normalises case, accents, ß, apostrophes, n’t and punctuation', () => {
    expect(normaliseLabel('  Continuer SANS   accepter ! ')).toBe('continuer sans accepter');
    expect(normaliseLabel('Paramétrer')).toBe('parametrer');
    expect(normaliseLabel('Schließen')).toBe('schliessen');
    expect(normaliseLabel('Don’t accept')).toBe('do not accept');
    expect(normaliseLabel('×')).toBe('x');
  });

  it('a negation turns any accept word into a refusal, whatever the language', () => {
    for (const [label, kind] of vectors.labels as Array<[string, ControlKind | null]>) {
      if (kind !== 'accept' || /\s/.test(label.trim()) || label.length < 4) continue;
      expect(classifyLabel(`Ne pas ${label}`)?.kind, `Ne pas ${label}`).toBe('refuse');
      expect(classifyLabel(`Do not ${label}`)?.kind, `Do not ${label}`).toBe('refuse');
    }
  });

  it('decisions: accept, refuse → reject, settings and save → custom, others none', () => {
    expect(decisionOfKind('accept')).toBe('accept');
    expect(decisionOfKind('refuse')).toBe('reject');
    expect(decisionOfKind('save')).toBe('custom');
    expect(decisionOfKind('close')).toBeUndefined();
    expect(decisionOfKind('withdraw')).toBeUndefined();
    expect(controlKind('button o2-accept')).toBe('accept');
    expect(controlKind('cc-btn cc-deny')).toBe('reject');
  });

  it('finds consent words in a banner text, and none in a plain one', () => {
    expect(consentWords('Nous utilisons des cookies et traceurs avec nos partenaires')).toEqual([
      'cookie*',
      'traceur*',
      'partenaires',
    ]);
    expect(consentWords('Livraison offerte dès 50 €')).toEqual([]);
  });
});
