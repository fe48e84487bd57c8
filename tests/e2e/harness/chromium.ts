/**
 * The tests' Chromium: the launcher in scripts/browser/ (shared with the command-line audit), wired to
 * the fixture server's hostnames and certificate, plus CDP service-worker control.
 */
import type { Page } from 'playwright-core';
import type { FixtureServer } from '../../../scripts/fixture-server/server.ts';
import {
  CHROMIUM_PATH,
  launchChromium as launch,
  type ChromiumSession,
  type LaunchChromiumOptions as BaseOptions,
} from '../../../scripts/browser/chromium.ts';
import {
  serviceWorkerTools,
  type ServiceWorkerTools,
  type ServiceWorkerVersion,
} from '../../../scripts/browser/service-workers.ts';
import type { StatusResponse } from '../../../lib/messages.ts';
import { waitForExtensionReady } from '../../../scripts/browser/extension-client.ts';

export { CHROMIUM_PATH, waitForExtensionReady, type ServiceWorkerVersion };

export interface LaunchChromiumOptions extends Pick<
  BaseOptions,
  'extension' | 'extensionPath' | 'thirdPartyCookies' | 'args'
> {
  server: FixtureServer;
}

export interface ChromiumHarness extends ChromiumSession, ServiceWorkerTools {
  waitForExtensionReady(page: Page, timeoutMs?: number): Promise<StatusResponse>;
}

/** Launches Chromium (fresh profile, extension loaded unless `extension: false`) on the fixture's hosts. */
export async function launchChromium(options: LaunchChromiumOptions): Promise<ChromiumHarness> {
  const { server, ...rest } = options;
  const session = await launch({
    ...rest,
    executablePath: CHROMIUM_PATH,
    hostResolverRules: server.hostResolverRules,
    ignoreCertificateErrorsSpkiList: server.spkiHash,
  });
  return { ...session, ...serviceWorkerTools(session.context, session.extensionId) };
}
