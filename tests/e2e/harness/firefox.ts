/**
 * The tests' Firefox: the launcher in scripts/browser/ (shared with the command-line audit), with every
 * request routed through the fixture server's forward proxy and its test certificate accepted.
 */
import type { FixtureServer } from '../../../scripts/fixture-server/server.ts';
import {
  FIREFOX_EXTENSION_UUID,
  FIREFOX_PATH,
  GECKO_ID,
  launchFirefox as launch,
  type FirefoxSession,
  type LaunchFirefoxOptions as BaseOptions,
} from '../../../scripts/browser/firefox.ts';

export { FIREFOX_EXTENSION_UUID, FIREFOX_PATH, GECKO_ID };
export type FirefoxHarness = FirefoxSession;

export interface LaunchFirefoxOptions extends Pick<BaseOptions, 'extension' | 'extensionPath' | 'prefs'> {
  server: FixtureServer;
}

/** Launches Firefox (fresh profile, extension installed unless `extension: false`) on the fixture's hosts. */
export function launchFirefox(options: LaunchFirefoxOptions): Promise<FirefoxHarness> {
  const { server, prefs, ...rest } = options;
  return launch({ ...rest, acceptInsecureCerts: true, prefs: { ...server.firefoxPrefs, ...prefs } });
}
