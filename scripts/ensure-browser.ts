/**
 * Finds Debian's Chromium (or Firefox ESR). On a fresh Debian/Ubuntu machine run as root, installs it
 * (the README's first command must work out of the box); otherwise says the exact command to run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The real binaries first: /usr/bin/chromium is a shell wrapper that adds flags of its own.
const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/lib/chromium-browser/chromium-browser', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/lib/firefox-esr/firefox-esr', '/usr/bin/firefox'];

export const INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium';
export const FIREFOX_INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y firefox-esr';

/** The Chromium binary: `explicit` if it exists, else the first usual location that does. */
export function findChromium(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path));
}

/** Installs a Debian package when running as root on a machine with apt-get; false otherwise. */
function aptInstall(pkg: string): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) return false;
  console.error(`Installing Debian's "${pkg}" package (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // stdout to stderr: the audit's stdout is its summary only.
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 2, 2], env });
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: ['ignore', 2, 2], env });
  return true;
}

/** A Chromium binary, installed if need be (root); throws with the install command otherwise. */
export function ensureChromium(explicit?: string): string {
  const found = findChromium(explicit);
  if (found) return found;
  if (explicit) throw new Error(`no Chromium at ${explicit}`);
  if (aptInstall('chromium')) {
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error(`Chromium not found; install it with: ${INSTALL_COMMAND}`);
}

/** A Firefox binary, installed if need be (root); throws with the install command otherwise. */
export function ensureFirefox(): string {
  const find = () => FIREFOX_CANDIDATES.find((path) => existsSync(path));
  const found = find();
  if (found) return found;
  if (aptInstall('firefox-esr')) {
    const installed = find();
    if (installed) return installed;
  }
  throw new Error(`Firefox not found; install it with: ${FIREFOX_INSTALL_COMMAND}`);
}
