import { tr } from './i18n.svelte';

/**
 * The popup's and report page's own strings: `ui.<camelCaseKey>` in `locales/<lang>.json`, with positional
 * parameters (`{1}`, `{2}`…). Reads the current language, so a template calling it re-renders on
 * the language switch. Components import it as `t`; it is not exported as `t`, since WXT
 * auto-imports every export of `components/`, and a free `t` elsewhere would pull this module in.
 */
export function uiText(key: string, substitutions: Array<string | number> = []): string {
  const params = Object.fromEntries(substitutions.map((value, i) => [String(i + 1), value]));
  // Call sites name keys in snake_case; message keys are camelCase (what `_locales` accepts).
  const name = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return tr(`ui.${name}` as Parameters<typeof tr>[0], params);
}
