import { sizeError, type ImportKind } from '@/lib/limits';
import type { Category } from '@/lib/categories';
import type { ClassifyResponse, ImportsListing, KnowledgeImportKind, Problem } from '@/lib/messages';
import { send } from './send';

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

function where(line: number | undefined, field: string | undefined): string {
  const parts = [line !== undefined ? `line ${line}` : undefined, field].filter(Boolean);
  return parts.join(' · ') || 'file';
}

/** A refused import's problems, one line each; a refusal without problems is one line of its own. */
function refusedLines(refusal: { message: string; problems?: Problem[] }): ImportLine[] {
  if (!refusal.problems?.length) return [{ where: 'file', message: refusal.message }];
  return refusal.problems.map((p) => ({
    where: p.path?.startsWith('line ') ? p.path : where(p.line, p.field ?? p.path),
    message: p.message,
  }));
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
    const answer = await send({ type: 'list-imports' });
    if (answer.ok) {
      listing = answer.value;
      error = undefined;
    } else error = answer.refusal.message;
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
      const answer = await send({ type: 'import-policy', text, source });
      if (answer.ok) {
        const r = answer.value;
        outcomes.policy = {
          seq: ++seq,
          ok: true,
          summary: `Imported policy ${r.id} for ${r.sites.join(', ')}${r.replaced ? ` (replaces the ${r.replaced === 'builtin' ? 'built-in' : 'imported'} one)` : ''}.`,
          warnings: (r.notes ?? []).map((message) => ({ where: `format ${r.migratedFrom}`, message })),
        };
      } else outcomes.policy = { seq: ++seq, ok: false, errors: refusedLines(answer.refusal) };
      await refresh();
    },
    async importKnowledge(kind: KnowledgeImportKind, text: string, source: string, category?: Category) {
      const answer = await send({
        type: 'import-knowledge',
        kind,
        text,
        source,
        ...(category ? { category } : {}),
      });
      const noun = kind === 'ocd' ? 'cookie entries' : 'network filters';
      if (answer.ok) {
        const r = answer.value;
        outcomes[kind] = {
          seq: ++seq,
          ok: true,
          summary: `Imported ${r.entries} ${noun} from ${r.name}${r.replaced ? ' (replaces the previous import)' : ''}.`,
          warnings: r.warnings.map((w) => ({ where: where(w.line, w.field), message: w.message })),
        };
      } else outcomes[kind] = { seq: ++seq, ok: false, errors: refusedLines(answer.refusal) };
      await refresh();
    },
    /** A file refused before it is read (too large): shown as that section's outcome. */
    refuse(kind: 'policy' | KnowledgeImportKind, message: string) {
      outcomes[kind] = { seq: ++seq, ok: false, errors: [{ where: 'file', message }] };
    },
    async remove(kind: 'policy' | KnowledgeImportKind, id: string) {
      const answer = await send({ type: 'remove-import', kind, id });
      if (!answer.ok) error = answer.refusal.message;
      await refresh();
    },
    /** Which source classifies the probe; `undefined` when the extension refused or did not answer. */
    classify: async (probe: {
      url?: string;
      cookie?: { name: string; domain: string };
    }): Promise<ClassifyResponse | undefined> => {
      const answer = await send({ type: 'classify', ...probe });
      return answer.ok ? answer.value : undefined;
    },
  };
}

/**
 * Reads a picked file as text (UTF-8), after checking its size (lib/limits.ts): a file over the
 * limit is refused unread, in the command line's words, so a 50 MB file never reaches memory.
 */
export async function readFile(file: File, kind: ImportKind): Promise<{ text: string } | { error: string }> {
  const tooLarge = sizeError(kind, file.size);
  if (tooLarge) return { error: `${file.name}: ${tooLarge}` };
  return { text: await file.text() };
}
