/**
 * What a banner control means, read from its words: accept, refuse, save (a choice made in a
 * settings layer), settings (opens the choices), withdraw (takes back a consent given), close.
 * The word lists are data (control-words.json), in French, English, German, Spanish and Italian.
 *
 * Labels are normalised first (case, accents, punctuation, `n't`), then the kinds are tried in an
 * order that settles the labels that hold two kinds' words: withdraw before accept ("Retirer mon
 * consentement"), refuse before accept ("Continuer sans accepter", "Do not agree"), save before
 * accept and settings ("Accepter la sélection", "Enregistrer mes préférences"), and close last
 * ("Refuser et fermer" refuses). An accept word right after a negation ("Ne pas accepter",
 * "Je n'accepte pas", "Continue without accepting") is a refusal. Pure: no DOM.
 */
import type { ControlKind } from '../observations';
import words from './control-words.json';

export type { ControlKind };

/** The order kinds are tried in; see the header. */
export const KIND_ORDER: readonly ControlKind[] = ['withdraw', 'refuse', 'save', 'settings', 'accept', 'close'];

/** What the content script reads of a control; every field optional. */
export interface ControlDescription {
  /** Visible text (`textContent`, trimmed). */
  text?: string;
  ariaLabel?: string;
  title?: string;
  /** `value` of an `<input type=button|submit>`. */
  value?: string;
  /** Explicit `role`, or the element's implicit one (`button`, `link`, `checkbox`). */
  role?: string;
}

/** A classified control: its kind, which of its labels said so, and the word list entry that matched. */
export interface ControlClass {
  kind: ControlKind;
  from: 'text' | 'aria-label' | 'title' | 'value';
  matched: string;
}

interface Phrase {
  tokens: string[];
  /** Index of tokens that end with `*` (prefix match). */
  prefix: boolean[];
  source: string;
}

const compile = (p: string): Phrase => {
  const tokens = normaliseLabel(p.replace(/\*/g, ' STAR ')).split(' ');
  const out: Phrase = { tokens: [], prefix: [], source: p };
  for (const t of tokens) {
    if (t === 'star') out.prefix[out.tokens.length - 1] = true;
    else {
      out.tokens.push(t);
      out.prefix.push(false);
    }
  }
  return out;
};

const KINDS = Object.fromEntries(
  KIND_ORDER.map((k) => {
    const entry = words.kinds[k];
    return [k, { phrases: entry.phrases.map(compile), exact: new Set(entry.exact.map((e) => normaliseLabel(e))) }];
  }),
) as Record<ControlKind, { phrases: Phrase[]; exact: Set<string> }>;
const NEGATIONS = new Set(words.negations);
const BANNER_WORDS = words.bannerWords.map(compile);

/**
 * Lower case, accents and ß folded, `n't` as ` not`, every other non-letter non-digit a space,
 * spaces collapsed. "Continuer SANS   accepter !" → "continuer sans accepter"; "×" → "x".
 */
export function normaliseLabel(label: string): string {
  return label
    .replace(/[×✕✖✗╳]/g, ' x ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/n['’]t\b/g, ' not')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Where `phrase` occurs in `tokens` (index of its first token), or -1. */
function find(tokens: readonly string[], phrase: Phrase): number {
  outer: for (let i = 0; i + phrase.tokens.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.tokens.length; j++) {
      const t = tokens[i + j]!;
      const w = phrase.tokens[j]!;
      if (phrase.prefix[j] ? !t.startsWith(w) : t !== w) continue outer;
    }
    return i;
  }
  return -1;
}

/** The kind one label says, with the list entry that matched; undefined when it says none. */
export function classifyLabel(
  label: string,
  { maxLength = 120 }: { maxLength?: number } = {},
): { kind: ControlKind; matched: string } | undefined {
  const text = normaliseLabel(label);
  if (!text || text.length > maxLength) return undefined; // a paragraph is no control label
  const tokens = text.split(' ');
  for (const kind of KIND_ORDER) {
    const { phrases, exact } = KINDS[kind];
    if (exact.has(text)) return { kind, matched: text };
    for (const phrase of phrases) {
      const at = find(tokens, phrase);
      if (at < 0) continue;
      if (kind === 'accept' && negated(tokens, at, phrase.tokens.length))
        return { kind: 'refuse', matched: `${tokens.slice(Math.max(0, at - 2), at).join(' ')} ${phrase.source}` };
      return { kind, matched: phrase.source };
    }
  }
  return undefined;
}

/** A negation within the two words before the phrase, or "pas" right after ("je n'accepte pas"). */
function negated(tokens: readonly string[], at: number, length: number): boolean {
  for (let i = Math.max(0, at - 2); i < at; i++) if (NEGATIONS.has(tokens[i]!)) return true;
  return tokens[at + length] === 'pas';
}

const NOT_ACTIONS = new Set(['checkbox', 'switch', 'radio', 'menuitemcheckbox', 'option', 'textbox']);

/**
 * Classifies a control by its visible text first (what the visitor reads), then its accessible name,
 * title and value. A checkbox or switch is a purpose toggle, not a banner action: it has no kind.
 */
export function classifyControl(control: ControlDescription): ControlClass | undefined {
  if (control.role && NOT_ACTIONS.has(control.role.toLowerCase())) return undefined;
  const labels: Array<[ControlClass['from'], string | undefined]> = [
    ['text', control.text],
    ['aria-label', control.ariaLabel],
    ['title', control.title],
    ['value', control.value],
  ];
  for (const [from, label] of labels) {
    if (!label) continue;
    const found = classifyLabel(label);
    if (found) return { ...found, from };
  }
  return undefined;
}

/** The consent words found in a text ("cookies", "consentement", "vie privée"...), each once. */
export function consentWords(text: string): string[] {
  const tokens = normaliseLabel(text.slice(0, 5000)).split(' ');
  return BANNER_WORDS.filter((w) => find(tokens, w) >= 0).map((w) => w.source);
}
