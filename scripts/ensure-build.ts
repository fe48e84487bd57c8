/** Builds the extension when the build is missing or older than its sources. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['entrypoints', 'components', 'lib', 'policies', 'wxt.config.ts', 'package.json'];

/**
 * Set to 1 to use `.output/` as it is: the end-to-end tests audit the build `npm test` just made,
 * and must not rebuild it under other tests' browsers when a source file is touched meanwhile.
 */
export const SKIP_BUILD_ENV = 'CONSENT_AUDITOR_SKIP_BUILD';

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Path of the unpacked build for `target`, building it first if missing or stale. Throws if the build fails. */
export function ensureBuild(root: string, target: 'chrome' | 'firefox' = 'chrome'): string {
  const out = join(root, '.output', target === 'chrome' ? 'chrome-mv3' : 'firefox-mv3');
  const manifest = join(out, 'manifest.json');
  if (process.env[SKIP_BUILD_ENV] === '1') {
    if (!existsSync(manifest))
      throw new Error(`${SKIP_BUILD_ENV}=1 but there is no build at ${out}: run \`npm run build\``);
    return out;
  }
  const stale =
    !existsSync(manifest) ||
    statSync(manifest).mtimeMs <
      Math.max(...SOURCES.filter((s) => existsSync(join(root, s))).map((s) => newest(join(root, s))));
  if (stale) {
    console.error(`Building the ${target} extension (npm run build:${target})...`);
    try {
      execFileSync('npm', ['run', '--silent', `build:${target}`], { cwd: root, stdio: ['ignore', 2, 2] }); // its output is progress: stderr
    } catch {
      throw new Error(`building the ${target} extension failed (npm run build:${target}; its errors are above)`);
    }
  }
  return out;
}
