/**
 * `lib/` is a pure engine: it type-checks with ES2022 alone (no DOM, no Node, no extension types),
 * plus the few host globals `lib/env.d.ts` declares. `npm run check` runs the same configuration
 * (`tsc -p tsconfig.lib.json`); this test also proves the configuration rejects what it must.
 * Imports of entrypoints/, components/, scripts/ and tests/ are the import-graph test's job.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');

function libConfig(): ts.ParsedCommandLine {
  const file = join(root, 'tsconfig.lib.json');
  const { config, error } = ts.readConfigFile(file, (path) => ts.sys.readFile(path));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(config, ts.sys, dirname(file));
}

function diagnostics(rootNames: string[], options: ts.CompilerOptions, host?: ts.CompilerHost): string[] {
  const program = ts.createProgram({ rootNames, options, ...(host ? { host } : {}) });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.replace(root, '')}(${d.start})` : '';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('lib/ is a pure engine', () => {
  const config = libConfig();

  it('tsconfig.lib.json allows ES2022 only and no ambient type packages', () => {
    expect(config.options.lib).toEqual(['lib.es2022.d.ts']);
    expect(config.options.types).toEqual([]);
    expect(config.fileNames.some((f) => f.endsWith('lib/env.d.ts'))).toBe(true);
    expect(config.fileNames.every((f) => f.startsWith(join(root, 'lib/')))).toBe(true);
  });

  it('pulls in no ambient types through a triple-slash reference', () => {
    const references = config.fileNames.filter((f) => /^\/\/\/\s*<reference\b/m.test(ts.sys.readFile(f) ?? ''));
    expect(references).toEqual([]);
  });

  it('type-checks lib/ with no DOM, no Node and no extension types', () => {
    expect(diagnostics(config.fileNames, config.options)).toEqual([]);
  }, 60_000);

  it('rejects the browser, DOM and extension globals', () => {
    const probes: Record<string, string> = {
      // Control: what lib/ may use compiles, so the failures below are about the names.
      allowed: "export const a = [new URL('https://x.fr/').hostname, crypto.randomUUID(), new TextEncoder()];",
      chrome: 'export const a = globalThis.chrome?.runtime;',
      browser: 'export const a = browser.runtime.id;',
      navigator: 'export const a = navigator.userAgent;',
      fetch: "export const a = fetch('https://example.com/');",
      document: 'export const a = document.cookie;',
      window: 'export const a = window.location.href;',
      localStorage: "export const a = localStorage.getItem('k');",
      process: 'export const a = process.env.HOME;',
    };
    const env = join(root, 'lib/env.d.ts');
    const base = ts.createCompilerHost(config.options);
    for (const [name, code] of Object.entries(probes)) {
      const probe = join(root, 'lib', `__probe-${name}.ts`);
      const host: ts.CompilerHost = {
        ...base,
        fileExists: (f) => f === probe || base.fileExists(f),
        readFile: (f) => (f === probe ? code : base.readFile(f)),
        getSourceFile: (f, v, ...rest) =>
          f === probe ? ts.createSourceFile(f, code, v) : base.getSourceFile(f, v, ...rest),
      };
      const found = diagnostics([env, probe], config.options, host);
      if (name === 'allowed') expect(found).toEqual([]);
      else expect(found, name).toEqual([expect.stringContaining(name === 'chrome' ? 'globalThis' : `'${name}'`)]);
    }
  }, 60_000);
});
