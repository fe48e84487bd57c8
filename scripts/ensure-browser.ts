/**
 * Finds Debian's Chromium (or Firefox ESR). On a fresh Debian/Ubuntu machine run as root, installs it
 * (the README's first command must work out of the box); otherwise says the exact command to run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// The real binaries first: /usr/bin/chromium is a shell wrapper that adds flags of its own.
const CHROMIUM_CANDIDATES = [
  '/usr/lib/chromium/chromium',
  '/usr/lib/chromium-browser/chromium-browser',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
];
const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/lib/firefox-esr/firefox-esr', '/usr/bin/firefox'];

export const INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium';
export const FIREFOX_INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y firefox-esr';

/** What finding and installing a browser touches; injected by the unit tests. */
export interface BrowserHost {
  exists(path: string): boolean;
  isRoot(): boolean;
  /** Runs a command to completion (throws on failure). */
  run(command: string, args: string[]): void;
  log(line: string): void;
}

export const SYSTEM: BrowserHost = {
  exists: existsSync,
  isRoot: () => typeof process.getuid === 'function' && process.getuid() === 0,
  run: (command, args) =>
    // stdout to stderr: the audit's stdout is its summary only.
    execFileSync(command, args, {
      stdio: ['ignore', 2, 2],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }),
  log: (line) => console.error(line),
};

/** The Chromium binary: `explicit` if it exists, else the first usual location that does. */
export function findChromium(explicit?: string, host: BrowserHost = SYSTEM): string | undefined {
  if (explicit) return host.exists(explicit) ? explicit : undefined;
  return CHROMIUM_CANDIDATES.find((path) => host.exists(path));
}

/** Installs a Debian package when running as root on a machine with apt-get; false otherwise. */
function aptInstall(pkg: string, host: BrowserHost): boolean {
  if (!host.isRoot() || !host.exists('/usr/bin/apt-get')) return false;
  host.log(`Installing Debian's "${pkg}" package (apt-get)...`);
  host.run('apt-get', ['update', '-qq']);
  host.run('apt-get', ['install', '-y', '-qq', pkg]);
  return true;
}

/** A Chromium binary, installed if need be (root); throws with the install command otherwise. */
export function ensureChromium(explicit?: string, host: BrowserHost = SYSTEM): string {
  const found = findChromium(explicit, host);
  if (found) return found;
  if (explicit) throw new Error(`no Chromium at ${explicit}`);
  if (aptInstall('chromium', host)) {
    const installed = findChromium(undefined, host);
    if (installed) return installed;
  }
  throw new Error(`Chromium not found; install it with: ${INSTALL_COMMAND}`);
}

/** A Firefox binary, installed if need be (root); throws with the install command otherwise. */
export function ensureFirefox(host: BrowserHost = SYSTEM): string {
  const find = () => FIREFOX_CANDIDATES.find((path) => host.exists(path));
  const found = find();
  if (found) return found;
  if (aptInstall('firefox-esr', host)) {
    const installed = find();
    if (installed) return installed;
  }
  throw new Error(`Firefox not found; install it with: ${FIREFOX_INSTALL_COMMAND}`);
}
