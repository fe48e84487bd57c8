import type { Knowledge } from './types';

/**
 * Several knowledge sources consulted in order; the first that knows an item classifies it, and its
 * Classification says which it was (`source`, `sourceName`, `matchedBy`). The extension layers the
 * built-in base first (reviewed, finest categories), then the imported Open Cookie Database, then
 * imported filter lists (which only say "tracker").
 */
export function createLayeredClassifier(layers: readonly Knowledge[]): Knowledge {
  const first = <T>(ask: (layer: Knowledge) => T | undefined): T | undefined => {
    for (const layer of layers) {
      const answer = ask(layer);
      if (answer !== undefined) return answer;
    }
    return undefined;
  };
  return {
    classifyUrl: (url, context) => first((k) => k.classifyUrl(url, context)),
    classifyCookie: (name, domain) => first((k) => k.classifyCookie(name, domain)),
    classifyStorageKey: (key, origin) => first((k) => k.classifyStorageKey(key, origin)),
    vendor: (id) => first((k) => k.vendor(id)),
  };
}
