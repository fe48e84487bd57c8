import { isCategory } from '@/lib/categories';
import type {
  BackgroundRequest,
  ClassifyResponse,
  ImportsListing,
  Request,
  ImportKnowledgeResponse,
  ImportPolicyResponse,
  RemoveImportResponse,
} from '@/lib/messages';
import { textSizeError } from '@/lib/limits';
import { sha256Hex } from '@/lib/policy/load';
import { saveImports, type StoredImports } from '@/lib/sources/stored';
import type { KeyValueStorage } from '@/lib/store/audit-store';
import type { Imports } from './imports';

type ImportRequest = Extract<
  BackgroundRequest,
  { type: 'import-policy' | 'import-knowledge' | 'list-imports' | 'remove-import' | 'classify' }
>;

/**
 * Validation happens here, in one place, whatever page sent the file. A file is parsed and checked
 * completely before anything is written; the write must succeed before the in-memory state
 * changes. A failed import therefore leaves the previous data in place.
 */
export async function importPolicyMessage(
  message: Request<'import-policy'>,
  imports: Imports,
  storage: KeyValueStorage,
): Promise<ImportPolicyResponse> {
  await imports.ready;
  return imports.serial(() => importPolicy(message.text, message.source, imports, storage));
}

export async function importKnowledgeMessage(
  message: Request<'import-knowledge'>,
  imports: Imports,
  storage: KeyValueStorage,
): Promise<ImportKnowledgeResponse> {
  await imports.ready;
  return imports.serial(() => importKnowledge(message, imports, storage));
}

export async function removeImportMessage(
  message: Request<'remove-import'>,
  imports: Imports,
  storage: KeyValueStorage,
): Promise<RemoveImportResponse> {
  await imports.ready;
  return imports.serial(() => removeImport(message.kind, message.id, imports, storage));
}

export async function listImports(imports: Imports): Promise<ImportsListing> {
  await imports.ready;
  return imports.listing();
}

/** Which source classifies a URL or a cookie. */
export async function classify(message: Request<'classify'>, imports: Imports): Promise<ClassifyResponse> {
  await imports.ready;
  const response: ClassifyResponse = {};
  // A URL is judged as a script that another site's page loads, so `$third-party` rules apply.
  if (typeof message.url === 'string')
    response.url =
      imports.knowledge.classifyUrl(message.url, {
        type: 'script',
        sourceUrl: 'https://consent-auditor.invalid/',
      }) ?? null;
  if (message.cookie)
    response.cookie =
      imports.knowledge.classifyCookie(String(message.cookie.name), String(message.cookie.domain)) ?? null;
  return response;
}

/** Any of the import requests, for callers that hold one of several (the unit tests). */
export function handleImportMessage(
  message: ImportRequest,
  imports: Imports,
  storage: KeyValueStorage,
): Promise<ImportPolicyResponse | ImportKnowledgeResponse | RemoveImportResponse | ImportsListing | ClassifyResponse> {
  switch (message.type) {
    case 'import-policy':
      return importPolicyMessage(message, imports, storage);
    case 'import-knowledge':
      return importKnowledgeMessage(message, imports, storage);
    case 'list-imports':
      return listImports(imports);
    case 'remove-import':
      return removeImportMessage(message, imports, storage);
    case 'classify':
      return classify(message, imports);
  }
}

async function importPolicy(
  text: unknown,
  source: string | undefined,
  imports: Imports,
  storage: KeyValueStorage,
): Promise<ImportPolicyResponse> {
  // The same limit and words as the command line's (lib/limits.ts), before any parsing.
  const tooBig = textSizeError('policy', text);
  if (tooBig !== undefined || typeof text !== 'string') return { ok: false, errors: [{ path: '/', message: tooBig! }] };
  const sha256 = await sha256Hex(text);
  const parsed = imports.parsePolicy(text, sha256);
  if (!parsed.ok) return parsed;
  const { policy } = parsed;
  const current = imports.stored();
  // A site belongs to one policy: the audit of a site must cite one text.
  const conflict = imports.siteConflict(policy);
  if (conflict) {
    const { index, site, owner } = conflict;
    return {
      ok: false,
      errors: [
        {
          path: `/sites/${index}`,
          message: `${site} is already covered by the ${owner.origin} policy "${owner.policy.id}": remove that import first, or import under the same id to replace it`,
        },
      ],
    };
  }
  const replaced = current.policies.some((p) => p.id === policy.id)
    ? 'import'
    : imports.isBuiltinPolicy(policy.id)
      ? 'builtin'
      : undefined;
  const entry = { id: policy.id, name: source || 'pasted text', text, importedAt: new Date().toISOString(), sha256 };
  const next: StoredImports = { ...current, policies: [...current.policies.filter((p) => p.id !== policy.id), entry] };
  const failed = await write(storage, 'policies', next.policies);
  if (failed) return { ok: false, errors: [{ path: '/', message: failed }] };
  await imports.apply(next);
  return {
    ok: true,
    id: policy.id,
    sites: policy.sites,
    ...(parsed.migratedFrom !== undefined ? { migratedFrom: parsed.migratedFrom, notes: parsed.notes } : {}),
    ...(replaced ? { replaced } : {}),
  };
}

async function importKnowledge(
  message: Request<'import-knowledge'>,
  imports: Imports,
  storage: KeyValueStorage,
): Promise<ImportKnowledgeResponse> {
  const { text, kind } = message;
  const tooBig = textSizeError(kind === 'ocd' ? 'ocd' : 'filters', text);
  if (tooBig !== undefined || typeof text !== 'string') return { ok: false, errors: [{ line: 1, message: tooBig! }] };
  const current = imports.stored();
  const importedAt = new Date().toISOString();
  const sha256 = await sha256Hex(text);
  if (kind === 'ocd') {
    const name = message.source || 'open-cookie-database.csv';
    const parsed = imports.parseOcd(text, name, sha256);
    if (!parsed.ok) return parsed;
    const ocd = {
      id: name,
      name,
      text,
      importedAt,
      sha256,
      rows: parsed.stats.rows,
      vendors: parsed.stats.vendors,
      warnings: parsed.warnings.length,
    };
    const failed = await write(storage, 'ocd', ocd);
    if (failed) return { ok: false, errors: [{ line: 1, message: failed }] };
    await imports.apply({ ...current, ocd });
    return {
      ok: true,
      kind,
      id: name,
      name,
      entries: parsed.stats.rows,
      warnings: parsed.warnings,
      replaced: !!current.ocd,
    };
  }
  if (kind !== 'filters') return { ok: false, errors: [{ line: 1, message: `unknown import kind ${String(kind)}` }] };
  const name = message.source || 'filter list';
  const category = isCategory(message.category) ? message.category : 'audience-measurement';
  const parsed = imports.parseFilters(text, { name, category }, sha256);
  if (!parsed.ok) return parsed;
  const list = {
    id: name,
    name,
    text,
    importedAt,
    sha256,
    category,
    networkFilters: parsed.stats.networkFilters,
    unsupported: parsed.stats.unsupported,
    ...(parsed.title ? { title: parsed.title } : {}),
  };
  const filters = [...current.filters.filter((f) => f.id !== name), list];
  const failed = await write(storage, 'filters', filters);
  if (failed) return { ok: false, errors: [{ line: 1, message: failed }] };
  await imports.apply({ ...current, filters });
  return {
    ok: true,
    kind,
    id: name,
    name,
    entries: parsed.stats.networkFilters,
    warnings: parsed.warnings,
    replaced: current.filters.some((f) => f.id === name),
  };
}

async function removeImport(
  kind: string,
  id: string,
  imports: Imports,
  storage: KeyValueStorage,
): Promise<RemoveImportResponse> {
  const current = imports.stored();
  let next: StoredImports;
  if (kind === 'policy') {
    if (!current.policies.some((p) => p.id === id))
      return { ok: false, error: `no imported policy "${id}" (built-in policies cannot be removed)` };
    next = { ...current, policies: current.policies.filter((p) => p.id !== id) };
  } else if (kind === 'ocd') {
    if (!current.ocd) return { ok: false, error: 'no Open Cookie Database imported' };
    const { ocd: _removed, ...rest } = current;
    next = rest;
  } else if (kind === 'filters') {
    if (!current.filters.some((f) => f.id === id)) return { ok: false, error: `no imported filter list "${id}"` };
    next = { ...current, filters: current.filters.filter((f) => f.id !== id) };
  } else return { ok: false, error: `unknown import kind ${kind}` };
  const key = kind === 'policy' ? 'policies' : kind;
  const failed = await write(storage, key as 'policies' | 'ocd' | 'filters', next[key as keyof StoredImports]);
  if (failed) return { ok: false, error: failed };
  await imports.apply(next);
  return { ok: true };
}

/** Writes, and says why not in words a person can act on. */
async function write(
  storage: KeyValueStorage,
  kind: 'policies' | 'ocd' | 'filters',
  value: StoredImports[keyof StoredImports],
): Promise<string | undefined> {
  try {
    await saveImports(storage, kind, value);
    return undefined;
  } catch (error) {
    return `the browser could not store the import, nothing was changed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
