import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const lib = join(__dirname, '../../lib');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('lib/ is a pure engine', () => {
  it('uses no extension or DOM API and imports nothing from WXT or entrypoints', () => {
    const forbidden = [
      /\bbrowser\./,
      /\bchrome\./,
      /\bdocument\./,
      /\bwindow\./,
      /\blocalStorage\b/,
      /from ['"]wxt/,
      /from ['"]@\/entrypoints/,
      /from ['"]webextension-polyfill/,
    ];
    const offenders: string[] = [];
    for (const file of files(lib)) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
        // String literals name APIs ('document.cookie' as a source) without using them.
        .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''")
        .replace(/`[^`]*`/g, "''");
      for (const pattern of forbidden) if (pattern.test(code)) offenders.push(`${relative(lib, file)}: ${pattern}`);
    }
    expect(offenders).toEqual([]);
  });
});
