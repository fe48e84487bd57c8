/** Builds the extension when the build is missing or older than its sources. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['entrypoints', 'components', 'lib', 'policies', 'wxt.config.ts', 'package.json'];

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function ensureBuild(root: string, target: 'chrome' | 'firefox' = 'chrome'): string {
  const out = join(root, '.output', target === 'chrome' ? 'chrome-mv3' : 'firefox-mv3');
  const manifest = join(out, 'manifest.json');
  const stale =
    !existsSync(manifest) ||
    statSync(manifest).mtimeMs < Math.max(...SOURCES.filter((s) => existsSync(join(root, s))).map((s) => newest(join(root, s))));
  if (stale) {
    console.error(`Building the ${target} extension...`);
    execFileSync('npm', ['run', '--silent', `build:${target}`], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return out;
}
