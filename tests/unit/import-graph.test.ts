/**
 * The folder rule of docs/architecture.md, checked on the real import graph: every `import`,
 * `import type`, `export … from` and `import()` of every TypeScript and Svelte file.
 * - Between the parts of `lib/` (each folder, and each file at its top) there is no cycle.
 * - `lib/` imports nothing from `entrypoints/`, `components/`, `scripts/` or `tests/`, and no package
 *   but the few that run anywhere (not `wxt`, the WebExtension polyfill or `node:` modules).
 * - Nothing outside `tests/` imports from `tests/`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const SCANNED = ['lib', 'entrypoints', 'components', 'scripts', 'tests'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Module specifiers of one file, found by the TypeScript parser (a Svelte file: its script blocks). */
export function specifiersOf(fileName: string, text: string): string[] {
  const code = fileName.endsWith('.svelte')
    ? [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
    : text;
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      if (ts.isStringLiteral(node.moduleReference.expression)) found.push(node.moduleReference.expression.text);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push(arg.text);
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      found.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
  return found;
}

/** Repository-relative path a specifier points to, or undefined for a package (`tldts`, `node:fs`). */
function target(from: string, specifier: string): string | undefined {
  const bare = specifier.replace(/\?.*$/, '');
  let path: string;
  if (bare.startsWith('.')) path = resolve(dirname(from), bare);
  else if (/^(@|~|@@|~~)\//.test(bare)) path = resolve(root, bare.replace(/^[^/]+\//, ''));
  else return undefined;
  for (const candidate of [path, `${path}.ts`, join(path, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate);
  return relative(root, path);
}

interface Edge {
  from: string;
  to: string;
}

const edges: Edge[] = SCANNED.filter((d) => existsSync(join(root, d)))
  .flatMap((d) => sourceFiles(join(root, d)))
  .flatMap((file) =>
    specifiersOf(file, readFileSync(file, 'utf8')).flatMap((spec) => {
      const to = target(file, spec);
      return to ? [{ from: relative(root, file), to }] : [];
    }),
  );

/** Packages lib/ may import: pure code that runs in a worker, a page and Node alike. */
const LIB_PACKAGES = new Set(['tldts', '@iabtechlabtcf/core', '@ghostery/adblocker']);

const packageOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;

const libPackageImports = sourceFiles(join(root, 'lib')).flatMap((file) =>
  specifiersOf(file, readFileSync(file, 'utf8'))
    .filter((spec) => target(file, spec) === undefined)
    .map((spec) => ({ from: relative(root, file), package: packageOf(spec) })),
);

/** The part of lib/ a file belongs to: its top folder, or the file itself at lib/'s top. */
function libPart(path: string): string | undefined {
  const match = /^lib\/([^/]+?)(\/|\.ts$|\.json$|$)/.exec(path);
  return match ? match[1] : undefined;
}

/** Cycles of a directed graph, one per strongly connected component of more than one node. */
export function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!order.has(v)) connect(v);
  return components;
}

function libGraph(list: readonly Edge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of list) {
    const a = libPart(from);
    const b = libPart(to);
    if (!a || !b || a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  return graph;
}

/** For a failure message: which files make each edge of a cycle. */
function witnesses(cycle: string[]): string[] {
  return edges
    .filter((e) => cycle.includes(libPart(e.from) ?? '') && cycle.includes(libPart(e.to) ?? ''))
    .filter((e) => libPart(e.from) !== libPart(e.to))
    .map((e) => `${e.from} → ${e.to}`);
}

describe('import graph', () => {
  it('sees the imports it checks', () => {
    // The parser must see `import type` and `export … from`, or the checks below prove nothing.
    expect(edges).toContainEqual({ from: 'lib/rules/index.ts', to: 'lib/findings.ts' });
    expect(edges).toContainEqual({ from: 'lib/knowledge/types.ts', to: 'lib/categories.ts' });
    expect(edges.filter((e) => e.from.startsWith('lib/')).length).toBeGreaterThan(100);
    expect(
      specifiersOf('x.ts', "import type { A } from './a';\nexport { b } from '../b';\nconst c = import('./c');"),
    ).toEqual(['./a', '../b', './c']);
  });

  it('has no cycle between the folders of lib/', () => {
    const cycles = cyclesOf(libGraph(edges));
    expect(cycles.map((cycle) => ({ cycle, through: witnesses(cycle) }))).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const planted = [...edges, { from: 'lib/knowledge/types.ts', to: 'lib/engine/context.ts' }];
    expect(cyclesOf(libGraph(planted))).toContainEqual(expect.arrayContaining(['engine', 'knowledge']));
  });

  it('keeps lib/ free of the extension, the command line and the tests', () => {
    const outward = edges.filter(
      (e) => e.from.startsWith('lib/') && /^(entrypoints|components|scripts|tests)\//.test(e.to),
    );
    expect(outward).toEqual([]);
  });

  it('lets lib/ import only packages that run anywhere', () => {
    expect(libPackageImports.map((i) => i.package)).toContain('tldts');
    expect(libPackageImports.filter((i) => !LIB_PACKAGES.has(i.package))).toEqual([]);
  });

  it('lets nothing outside tests/ import from tests/', () => {
    expect(edges.filter((e) => !e.from.startsWith('tests/') && e.to.startsWith('tests/'))).toEqual([]);
  });
});
