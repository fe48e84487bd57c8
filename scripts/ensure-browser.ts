/**
 * Finds Debian's Chromium. On a fresh Debian/Ubuntu machine run as root, installs it (the README's
 * first command must work out of the box); otherwise prints the exact command to run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/lib/chromium-browser/chromium-browser', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium';

export function findChromium(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

export function ensureChromium(explicit?: string): string {
  const found = findChromium(explicit);
  if (found) return found;
  if (explicit) throw new Error(`no Chromium at ${explicit}`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.error('Chromium not found: installing Debian\'s "chromium" package (apt-get)...');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error(`Chromium not found. Install it with:\n  ${INSTALL_COMMAND}`);
}
