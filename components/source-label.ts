import type { Classification } from '@/lib/knowledge/types';

const NAMES: Record<Classification['source'], string> = {
  'builtin-kb': 'built-in knowledge base',
  'open-cookie-database': 'Open Cookie Database (imported)',
  'filter-list': 'filter list (imported)',
  policy: "the policy's own cookie list",
};

/** Which source classified something, in words: `filter list (imported) easyprivacy.txt line 3194`. */
export function sourceLabel(c: Pick<Classification, 'source' | 'sourceName'>): string {
  return `${NAMES[c.source]}${c.sourceName ? ` ${c.sourceName}` : ''}`;
}
