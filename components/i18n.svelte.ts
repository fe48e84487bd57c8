import { isLang, langOf, render, translate, type Lang, type MessageKey, type Params, type Text } from '@/lib/i18n';

/**
 * The interface language, shared by every view of an extension page. It starts from the browser's
 * language (French for a French browser) and follows the switch the auditor saved in
 * `storage.local` (`LANG_KEY`), in every open page at once (`storage.onChanged`). `tr()` reads the
 * language, so a template that calls it re-renders when the switch changes.
 */
export const LANG_KEY = 'ui:lang';

const state = $state<{ lang: Lang }>({ lang: 'en' });

function apply(lang: Lang): void {
  state.lang = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** Sets the language from the browser, then from the saved switch; call once from a page's main.ts. */
export async function initLanguage(): Promise<void> {
  apply(langOf(browser.i18n?.getUILanguage?.() ?? globalThis.navigator?.language));
  browser.storage.onChanged.addListener((changes, area) => {
    const next = changes[LANG_KEY]?.newValue;
    if (area === 'local' && isLang(next)) apply(next);
  });
  const saved = (await browser.storage.local.get(LANG_KEY))[LANG_KEY];
  if (isLang(saved)) apply(saved);
}

/** The current interface language. */
export function currentLang(): Lang {
  return state.lang;
}

/** Switches the language and saves the choice. */
export async function setLang(lang: Lang): Promise<void> {
  apply(lang);
  await browser.storage.local.set({ [LANG_KEY]: lang });
}

/** A message in the current language. */
export function tr(key: MessageKey, params?: Params): string {
  return translate(state.lang, key, params);
}

/** A `Text` (a finding's title or detail) in the current language. */
export function trText(text: Text): string {
  return render(state.lang, text);
}
