import en from '../../locales/en.json';
import fr from '../../locales/fr.json';

/**
 * The message files, `locales/<lang>.json`, in the format of WXT's i18n module (`@wxt-dev/i18n`):
 * nested keys, `{name}` placeholders, plural objects (`{ "1": …, "n": … }`). The module turns them
 * into the extension's `_locales` at build time (the manifest's name and description); this module
 * reads the same files so that every context (popup, options, report renderers in Node) can look a
 * message up in a chosen language, which `browser.i18n` cannot: it follows the browser's language.
 */

/** The languages of the interface and of reports. */
export const LANGS = ['fr', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** A message: a string, or plural forms chosen by the `count` parameter. */
export type MessageValue = string | { readonly [form: string]: string };

type Tree = { readonly [key: string]: string | Tree };

const isPlural = (value: object) => Object.keys(value).every((k) => k === 'n' || /^\d+$/.test(k));

/** Dotted keys of a message tree, plural objects being leaves (the module's own rule). */
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K}`
    : T[K] extends { n: string }
      ? `${P}${K}`
      : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every message key, from the English file (the reference: French must have the same keys). */
export type MessageKey = Leaves<typeof en>;

function flatten(tree: Tree, prefix = '', out = new Map<string, MessageValue>()): Map<string, MessageValue> {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix + key;
    if (typeof value === 'string' || isPlural(value)) out.set(path, value as MessageValue);
    else flatten(value, `${path}.`, out);
  }
  return out;
}

/** The flattened tables, by language. */
export const MESSAGES: Record<Lang, ReadonlyMap<string, MessageValue>> = {
  en: flatten(en as Tree),
  fr: flatten(fr as Tree),
};

/** The typed key list. */
export const MESSAGE_KEYS = [...MESSAGES.en.keys()] as MessageKey[];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** The interface language for a browser language tag: French for a French browser, English otherwise. */
export function langOf(tag: string | undefined): Lang {
  return tag?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
