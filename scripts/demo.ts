/**
 * `npm run demo`: builds the extension, serves the bundled fixture site (a synthetic o2toit.com and
 * its third parties) on 127.0.0.1, opens it in headless Chromium with the built extension loaded,
 * and prints the extension's own findings.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from './ensure-build.ts';
import { ensureChromium } from './ensure-browser.ts';
import { startFixtureServer } from '../tests/fixtures/server.ts';
import { launchChromium } from '../tests/e2e/harness/chromium.ts';
import { getReport } from '../tests/e2e/harness/extension-client.ts';
import type { ReportResponse } from '../lib/messages.ts';
import { printReport } from './print-report.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  ensureChromium();
  ensureBuild(root, 'chrome');
  const server = await startFixtureServer();
  const browser = await launchChromium({ server });
  try {
    const control = await browser.openExtensionPage('popup.html');
    await browser.waitForExtensionReady(control);
    const page = await browser.context.newPage();
    console.error('Visiting https://www.o2toit.com/ (fixture) with the extension loaded...');
    await page.goto('https://www.o2toit.com/', { waitUntil: 'load' });
    await server.waitForHit({ host: 'www.google.com', path: '/recaptcha/api2/reload' });
    await page.waitForTimeout(1500); // let late beacons and the extension's batched writes settle
    const response = await getReport<ReportResponse>(control, 'https://www.o2toit.com/');
    if (!response.ok) throw new Error(response.error);
    printReport(response.report);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
