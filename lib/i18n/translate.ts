import { MESSAGES, type Lang, type MessageKey, type MessageValue } from './messages';

/**
 * A text to be written in the reader's language: a message key and its parameters. Findings carry
 * these (`Finding.message`) so that a report can be rendered in French or English from its JSON.
 */
export interface Text {
  key: MessageKey;
  params?: Params;
}

/** A list rendered in the reader's language: `and` ("A and B", « A et B »), or `comma` ("A, B"). */
export interface TextList {
  list: Param[];
  join: 'and' | 'comma' | 'semicolon';
}

/**
 * A parameter: a literal (a cookie name, a number, a policy's own words), a nested text (a
 * category, a fragment of the sentence), or a list. An empty string leaves an optional fragment out.
 */
export type Param = string | number | Text | TextList;
export type Params = Record<string, Param>;

const PLACEHOLDER = /\{(\w+)\}/g;

/** The placeholders of a message (all plural forms), in order of first appearance. */
export function placeholdersOf(value: MessageValue): string[] {
  const text = typeof value === 'string' ? value : Object.values(value).join('|');
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

function pick(value: MessageValue, params: Params | undefined): string {
  if (typeof value === 'string') return value;
  const count = params?.count;
  return (typeof count === 'number' ? value[String(count)] : undefined) ?? value.n ?? Object.values(value)[0] ?? '';
}

function renderParam(lang: Lang, param: Param): string {
  if (typeof param === 'string') return param;
  if (typeof param === 'number') return String(param);
  if ('list' in param) {
    const items = param.list.map((p) => renderParam(lang, p));
    return param.join === 'and'
      ? new Intl.ListFormat(lang, { type: 'conjunction', style: 'long' }).format(items)
      : items.join(param.join === 'semicolon' ? '; ' : ', ');
  }
  return translate(lang, param.key, param.params);
}

/**
 * The message `key` in `lang`, with its `{name}` placeholders replaced by `params`. A key missing
 * in `lang` falls back to English, then to the key itself; a missing parameter is left as written,
 * as WXT's `i18n.t` does. Pure: runs in the extension and in Node.
 */
export function translate(lang: Lang, key: MessageKey | string, params?: Params): string {
  const value = MESSAGES[lang].get(key) ?? MESSAGES.en.get(key);
  if (value === undefined) return key;
  return pick(value, params).replace(PLACEHOLDER, (whole, name: string) => {
    const param = params?.[name];
    return param === undefined ? whole : renderParam(lang, param);
  });
}

/** A `Text` rendered in `lang`. */
export function render(lang: Lang, text: Text): string {
  return translate(lang, text.key, text.params);
}

/** Shorthand for a nested text parameter. */
export function text(key: MessageKey, params?: Params): Text {
  return params ? { key, params } : { key };
}

/** Shorthand for a list parameter. */
export function list(items: Param[], join: TextList['join'] = 'comma'): TextList {
  return { list: items, join };
}

/** The message key segment of an id: `cookie-before-consent` → `cookieBeforeConsent` (message keys allow no hyphen). */
export function keySegment(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
