import type { Category } from '@/lib/categories';
import type {
  BackgroundRequest,
  ClassifyResponse,
  ImportKnowledgeResponse,
  ImportPolicyResponse,
  ImportsListing,
  KnowledgeImportKind,
  RemoveImportResponse,
} from '@/lib/messages';

/** One line of an import's outcome, as the options page prints it. */
export interface ImportLine {
  /** `line 12`, `line 3 · Category`, `line 40 · /categories/2/category`. */
  where: string;
  message: string;
}

/** One row of a listing: what it is, where it comes from, and how to remove it. */
export interface SourceRow {
  id: string;
  label: string;
  detail: string;
  /** Absent for built-in rows, which cannot be removed. */
  onremove?: () => void;
}

/** What the last import of a section gave: done (with warnings) or refused (with errors). */
export type ImportOutcome = (
  { ok: true; summary: string; warnings: ImportLine[] } | { ok: false; errors: ImportLine[] }
) & {
  /** Counts imports on this page, so a repeated outcome is still a new one. */
  seq: number;
};

const send = <T>(message: BackgroundRequest) => browser.runtime.sendMessage(message) as Promise<T>;

function where(line: number | undefined, field: string | undefined): string {
  const parts = [line !== undefined ? `line ${line}` : undefined, field].filter(Boolean);
  return parts.join(' · ') || 'file';
}

/**
 * The options page's state: the listing of policies and knowledge sources, and the outcome of the
 * last import in each section. Every change goes through the background, which validates it; the
 * page only shows what the background says.
 */
export function createImportsState() {
  let listing = $state<ImportsListing | undefined>();
  let error = $state<string | undefined>();
  const outcomes = $state<Record<'policy' | KnowledgeImportKind, ImportOutcome | undefined>>({
    policy: undefined,
    ocd: undefined,
    filters: undefined,
  });
  let seq = 0;

  async function refresh() {
    const answer = await send<ImportsListing | undefined>({ type: 'list-imports' });
    if (answer && 'policies' in answer) {
      listing = answer;
      error = undefined;
    } else error = 'The extension did not answer.';
  }

  return {
    get listing() {
      return listing;
    },
    get error() {
      return error;
    },
    outcomes,
    refresh,
    async importPolicy(text: string, source: string) {
      const r = await send<ImportPolicyResponse>({ type: 'import-policy', text, source });
      outcomes.policy = r.ok
        ? {
            seq: ++seq,
            ok: true,
            summary: `Imported policy ${r.id} for ${r.sites.join(', ')}${r.replaced ? ` (replaces the ${r.replaced === 'builtin' ? 'built-in' : 'imported'} one)` : ''}.`,
            warnings: (r.notes ?? []).map((message) => ({ where: `format ${r.migratedFrom}`, message })),
          }
        : {
            seq: ++seq,
            ok: false,
            errors: r.errors.map((e) => ({
              where: e.path.startsWith('line ') ? e.path : where(e.line, e.path),
              message: e.message,
            })),
          };
      await refresh();
    },
    async importKnowledge(kind: KnowledgeImportKind, text: string, source: string, category?: Category) {
      const r = await send<ImportKnowledgeResponse>({
        type: 'import-knowledge',
        kind,
        text,
        source,
        ...(category ? { category } : {}),
      });
      const noun = kind === 'ocd' ? 'cookie entries' : 'network filters';
      outcomes[kind] = r.ok
        ? {
            seq: ++seq,
            ok: true,
            summary: `Imported ${r.entries} ${noun} from ${r.name}${r.replaced ? ' (replaces the previous import)' : ''}.`,
            warnings: r.warnings.map((w) => ({ where: where(w.line, w.field), message: w.message })),
          }
        : {
            seq: ++seq,
            ok: false,
            errors: r.errors.map((e) => ({ where: where(e.line, e.field), message: e.message })),
          };
      await refresh();
    },
    async remove(kind: 'policy' | KnowledgeImportKind, id: string) {
      const r = await send<RemoveImportResponse>({ type: 'remove-import', kind, id });
      if (!r.ok) error = r.error;
      await refresh();
    },
    classify: (probe: { url?: string; cookie?: { name: string; domain: string } }) =>
      send<ClassifyResponse>({ type: 'classify', ...probe }),
  };
}

/** Reads a picked file as text (UTF-8). */
export function readFile(file: File): Promise<string> {
  return file.text();
}
