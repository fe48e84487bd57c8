import { describe, expect, it, vi } from 'vitest';
import { readFile } from '../../components/imports-state.svelte';
import { MAX_IMPORT_BYTES, sizeError } from '../../lib/limits';

const fakeFile = (name: string, size: number) =>
  ({ name, size, text: vi.fn(async () => '{}') }) as unknown as File & {
    text: ReturnType<typeof vi.fn>;
  };

describe("the options page checks a file's size before reading it", () => {
  it('refuses a file over the limit unread, in the command line words', async () => {
    const file = fakeFile('huge.json', 50 * 1024 * 1024);
    expect(await readFile(file, 'policy')).toEqual({
      error: `huge.json: ${sizeError('policy', 50 * 1024 * 1024)}`,
    });
    expect(file.text).not.toHaveBeenCalled();
  });

  it('reads a file at the limit', async () => {
    const file = fakeFile('list.txt', MAX_IMPORT_BYTES.filters);
    expect(await readFile(file, 'filters')).toEqual({ text: '{}' });
    expect(file.text).toHaveBeenCalledOnce();
  });
});
