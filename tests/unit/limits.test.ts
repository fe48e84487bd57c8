/**
 * One limit everywhere: the command line's policy check and the extension's import path refuse the
 * same oversized file with the same words (lib/limits.ts), the command line before reading it whole
 * and before any browser starts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleImportMessage } from '../../entrypoints/background/import-handler';
import { createImports } from '../../entrypoints/background/imports';
import { MAX_IMPORT_BYTES, sizeError, textSizeError, utf8Length } from '../../lib/limits';
import type { ImportKnowledgeResponse, ImportPolicyResponse } from '../../lib/messages';
import { loadPolicyFile, summarizePolicyErrors } from '../../scripts/cli/load-policy';

const policyText = readFileSync(join(__dirname, '../../policies/o2toit.com.json'), 'utf8');

/** A valid policy padded past the limit (a long title): valid JSON, valid schema, too big. */
function oversizedPolicy(): string {
  const policy = JSON.parse(policyText) as { title: string };
  policy.title = `${policy.title} ${'é'.repeat(MAX_IMPORT_BYTES.policy / 2)}`;
  return JSON.stringify(policy);
}

describe('lib/limits', () => {
  it('counts UTF-8 bytes, not UTF-16 units', () => {
    for (const s of ['abc', 'é', '€', '😀', 'a😀é€', '\ud800x']) expect(utf8Length(s)).toBe(Buffer.byteLength(s));
  });
  it('names the size and the limit', () => {
    expect(sizeError('policy', MAX_IMPORT_BYTES.policy)).toBeUndefined();
    expect(sizeError('policy', 50 * 1024 * 1024)).toBe('the file is 50.0 MB; a policy may be at most 2.0 MB');
    expect(textSizeError('filters', 42)).toBe('no text was given');
  });
});

describe('the same limit, the same error, in the command line and the extension', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    fakeBrowser.scripting.getRegisteredContentScripts = vi.fn(async () => []) as never;
    fakeBrowser.scripting.registerContentScripts = vi.fn(async () => undefined) as never;
    fakeBrowser.scripting.unregisterContentScripts = vi.fn(async () => undefined) as never;
  });

  it('an oversized valid policy is refused by both, in the same words', async () => {
    const text = oversizedPolicy();
    const dir = await mkdtemp(join(tmpdir(), 'limits-'));
    const file = join(dir, 'big.json');
    await writeFile(file, text);
    const expected = sizeError('policy', Buffer.byteLength(text))!;
    expect(expected).toContain('a policy may be at most 2.0 MB');

    await expect(loadPolicyFile(file)).rejects.toThrow(`--policy ${file}: /: ${expected}`);

    const storage = fakeBrowser.storage.local;
    const imports = createImports(storage);
    const r = (await handleImportMessage(
      { type: 'import-policy', text, source: 'big.json' },
      imports,
      storage,
    )) as ImportPolicyResponse;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(summarizePolicyErrors(r.errors)).toBe(`/: ${expected}`);
    // A policy just under the limit is still parsed (and here accepted) by both.
    expect((await loadPolicyFile(join(__dirname, '../../policies/o2toit.com.json'))).id).toBe('o2toit.com');
  });

  it('an oversized knowledge list is refused with the shared words', async () => {
    const storage = fakeBrowser.storage.local;
    const imports = createImports(storage);
    const text = 'x'.repeat(MAX_IMPORT_BYTES.filters + 1);
    const r = (await handleImportMessage(
      { type: 'import-knowledge', kind: 'filters', text, source: 'big.txt' },
      imports,
      storage,
    )) as ImportKnowledgeResponse;
    expect(r).toEqual({ ok: false, errors: [{ line: 1, message: sizeError('filters', text.length) }] });
  });
});
