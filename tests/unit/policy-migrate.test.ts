import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatSchemaErrors, parsePolicy } from '../../lib/policy/load';
import { migratePolicyDocument } from '../../lib/policy/migrate';
import { POLICY_FORMAT_VERSION } from '../../lib/policy/types';
import { locatePointer } from '../../lib/schema/json-locate';

const root = join(__dirname, '../..');
const current = readFileSync(join(root, 'policies/o2toit.com.json'), 'utf8');
/** The o2toit policy as it was written in format 1 (before recipients could name vendors). */
function formatOne(): string {
  const data = JSON.parse(current);
  data.formatVersion = 1;
  for (const r of data.recipients) delete r.vendors;
  return JSON.stringify(data, null, 2);
}

describe('policy format versions and migration', () => {
  it('reads the current format as is', () => {
    const result = parsePolicy(current);
    expect(result).toMatchObject({ ok: true, notes: [] });
    if (result.ok) expect(result.migratedFrom).toBeUndefined();
    expect(POLICY_FORMAT_VERSION).toBe(2);
  });

  it('migrates a format-1 file to the current format, and says so', () => {
    const result = parsePolicy(formatOne());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.migratedFrom).toBe(1);
    expect(result.policy.formatVersion).toBe(2);
    expect(result.notes).toEqual([expect.stringMatching(/^format 1 → 2/)]);
    expect(result.policy.categories.length).toBe(7);
  });

  it('refuses a file newer than this build, naming the field and its line', () => {
    const newer = current.replace('"formatVersion": 2', '"formatVersion": 3');
    const result = parsePolicy(newer);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          path: '/formatVersion',
          line: 3,
          message: expect.stringMatching(/format 3 is newer than this build .* \(2\): update the extension/),
        },
      ],
    });
  });

  it('refuses a missing, non-integer or impossible format', () => {
    const data = JSON.parse(current);
    delete data.formatVersion;
    expect(parsePolicy(JSON.stringify(data))).toMatchObject({
      ok: false,
      errors: [{ path: '/formatVersion', message: expect.stringMatching(/^missing/) }],
    });
    for (const bad of ['"2"', '1.5', '0', '-1']) {
      const result = parsePolicy(current.replace('"formatVersion": 2', `"formatVersion": ${bad}`));
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.errors[0]!.path).toBe('/formatVersion');
    }
  });

  it('validates a migrated file against the current schema, with the line of each error', () => {
    const text = formatOne().replace('"category": "security"', '"category": "securite"');
    const result = parsePolicy(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const line = text.split('\n').findIndex((l) => l.includes('"securite"')) + 1;
    expect(result.errors).toEqual([expect.objectContaining({ path: '/categories/6/category', line })]);
    expect(formatSchemaErrors(result.errors)).toMatch(
      new RegExp(`^line ${line} /categories/6/category: must be one of`),
    );
  });

  it('leaves non-objects to the schema', () => {
    expect(migratePolicyDocument([])).toEqual({ ok: true, data: [], notes: [] });
    expect(parsePolicy('"x"')).toMatchObject({
      ok: false,
      errors: [{ path: '/', message: 'must be object, got string' }],
    });
  });

  it('accepts a byte-order mark', () => {
    expect(parsePolicy(`\uFEFF${current}`).ok).toBe(true);
  });
});

describe('locatePointer', () => {
  const text = '{\n  "a": 1,\n  "b": [\n    { "c": "x\\"}" },\n    { "c": [true, null] }\n  ],\n  "d/e": {}\n}';
  it.each([
    ['/', 1],
    ['/a', 2],
    ['/b', 3],
    ['/b/0', 4],
    ['/b/0/c', 4],
    ['/b/1/c/1', 5],
    ['/d~1e', 7],
  ])('%s is on line %i', (pointer, line) => {
    expect(locatePointer(text, pointer)?.line).toBe(line);
  });
  it('returns undefined for paths that are not in the text', () => {
    expect(locatePointer(text, '/zz')).toBeUndefined();
    expect(locatePointer(text, '/b/7')).toBeUndefined();
    expect(locatePointer(text, '/a/b')).toBeUndefined();
  });
});
