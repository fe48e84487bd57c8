import { describe, expect, it } from 'vitest';
import { ensureChromium, ensureFirefox, INSTALL_COMMAND, type BrowserHost } from '../../scripts/ensure-browser';

/** A fake machine: files that exist, root or not, and apt-get that "installs" a path. */
function machine(files: string[], root: boolean, installs: Record<string, string> = {}) {
  const present = new Set(files);
  const ran: string[] = [];
  const host: BrowserHost = {
    exists: (p) => present.has(p),
    isRoot: () => root,
    run: (command, args) => {
      ran.push([command, ...args].join(' '));
      const pkg = args.at(-1)!;
      if (installs[pkg]) present.add(installs[pkg]);
    },
    log: () => undefined,
  };
  return { host, ran };
}

describe('ensureChromium / ensureFirefox', () => {
  it('prefers the real Chromium binary over the /usr/bin wrapper', () => {
    const { host, ran } = machine(['/usr/bin/chromium', '/usr/lib/chromium/chromium'], false);
    expect(ensureChromium(undefined, host)).toBe('/usr/lib/chromium/chromium');
    expect(ran).toEqual([]);
  });

  it('takes --chromium as given, and says when it is missing', () => {
    const { host } = machine(['/opt/chrome'], true);
    expect(ensureChromium('/opt/chrome', host)).toBe('/opt/chrome');
    expect(() => ensureChromium('/opt/nothing', host)).toThrow('no Chromium at /opt/nothing');
  });

  it("installs Debian's chromium when run as root with apt-get", () => {
    const { host, ran } = machine(['/usr/bin/apt-get'], true, { chromium: '/usr/lib/chromium/chromium' });
    expect(ensureChromium(undefined, host)).toBe('/usr/lib/chromium/chromium');
    expect(ran).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium']);
  });

  it('otherwise prints the exact command, on one line', () => {
    const { host, ran } = machine(['/usr/bin/apt-get'], false);
    expect(() => ensureChromium(undefined, host)).toThrow(`Chromium not found; install it with: ${INSTALL_COMMAND}`);
    expect(ran).toEqual([]);
  });

  it('finds or installs Firefox ESR the same way', () => {
    expect(ensureFirefox(machine(['/usr/bin/firefox-esr'], false).host)).toBe('/usr/bin/firefox-esr');
    const { host, ran } = machine(['/usr/bin/apt-get'], true, { 'firefox-esr': '/usr/bin/firefox-esr' });
    expect(ensureFirefox(host)).toBe('/usr/bin/firefox-esr');
    expect(ran.at(-1)).toBe('apt-get install -y -qq firefox-esr');
    expect(() => ensureFirefox(machine([], false).host)).toThrow(/firefox-esr/);
  });
});
