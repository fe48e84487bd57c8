import { tr } from './i18n.svelte';

/**
 * The popup's and report page's own strings: `ui.<key>` in `locales/<lang>.json`, with positional
 * parameters (`{1}`, `{2}`…). Reads the current language, so a template calling it re-renders on
 * the language switch.
 */
export function t(key: string, substitutions: Array<string | number> = []): string {
  const params = Object.fromEntries(substitutions.map((value, i) => [String(i + 1), value]));
  return tr(`ui.${key}` as Parameters<typeof tr>[0], params);
}
