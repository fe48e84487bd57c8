/**
 * `npm run bench:page`: page-load cost of the extension in real Chromium, as a ratio to the same
 * page without it (the machine is noisy: only ratios of medians measured in the same run mean
 * anything). Two pages: an audited one (o2toit.com fixture) and one the extension does not audit.
 * Not a test; it never fails the build.
 */
import { startFixtureServer } from './fixture-server/server.ts';
import { CHROMIUM_PATH, launchChromium as launch } from './browser/chromium.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const PAGES = {
  audited: 'https://www.o2toit.com/contact',
  'not audited': 'https://www.google.com/recaptcha/api2/anchor?k=bench',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function loadTimes(
  extension: boolean,
  url: string,
  server: Awaited<ReturnType<typeof startFixtureServer>>,
): Promise<number[]> {
  const chromium = await launch({
    extension,
    executablePath: CHROMIUM_PATH,
    hostResolverRules: server.hostResolverRules,
    ignoreCertificateErrorsSpkiList: server.spkiHash,
  });
  try {
    if (extension) await chromium.waitForExtensionReady(await chromium.openExtensionPage('popup.html'));
    const page = await chromium.context.newPage();
    const times: number[] = [];
    for (let i = 0; i < ROUNDS + 2; i++) {
      await page.goto(url, { waitUntil: 'load' });
      const ms = await page.evaluate(() => {
        const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
        return nav!.loadEventEnd - nav!.startTime;
      });
      if (i >= 2) times.push(ms); // the first loads warm caches and the worker
    }
    return times;
  } finally {
    await chromium.close();
  }
}

const server = await startFixtureServer();
try {
  for (const [name, url] of Object.entries(PAGES)) {
    const without = median(await loadTimes(false, url, server));
    const withExtension = median(await loadTimes(true, url, server));
    console.log(
      `${name.padEnd(12)} ${url}: ${without.toFixed(1)} ms without, ${withExtension.toFixed(1)} ms with → ${(withExtension / without).toFixed(2)}×`,
    );
  }
} finally {
  await server.close();
}
