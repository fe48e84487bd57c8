/**
 * Page-load overhead in real browsers. The fixture site, with latency added to every response, is
 * loaded in three profiles in turn (no extension, the do-nothing floor extension, ours), round after
 * round in one run, so that the machine's drift hits all three alike; medians of navigation start to
 * load event are compared as ratios. Also: a page the extension does not audit, and the same two
 * with three cross-site frames each (a video embed, a chat widget, a consent banner in its own frame),
 * whose frames get the content scripts only in the audited tab (entrypoints/background/frame-scripts.ts).
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { launchChromium, CHROMIUM_PATH } from '../browser/chromium.ts';
import { launchFirefox, FIREFOX_PATH } from '../browser/firefox.ts';
import { CHROME_BUILD, FIREFOX_BUILD } from '../browser/paths.ts';
import { startFixtureServer, type FixtureServer } from '../fixture-server/server.ts';
import { writeFloorExtension } from './floor-extension.ts';
import { figure, median, type BenchResult } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
/** `BENCH_BROWSERS=firefox` (or `chromium`) measures one browser only, to profile it; default both. */
const BROWSERS = (process.env.BENCH_BROWSERS ?? 'chromium,firefox').split(',');
const LATENCY_MS = 25;
const AUDITED = 'https://www.o2toit.com/contact';
// A page of a site with no policy: the extension must not audit it, so it must cost nothing.
const NOT_AUDITED = 'https://www.google.com/recaptcha/api2/anchor?k=bench';
/** An audited page with three cross-site frames, and the same frames on a page of no audited site. */
const AUDITED_FRAMES = 'https://www.o2toit.com/consent/frames.html';
const NOT_AUDITED_FRAMES = 'https://www.google.com/bench/frames.html';

type Load = (url: string) => Promise<number>;
interface Profile {
  name: 'none' | 'floor' | 'ours';
  load: Load;
  close(): Promise<void>;
}

const loadTimeScript = () => {
  const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  return nav!.loadEventEnd - nav!.startTime;
};

async function chromiumProfile(name: Profile['name'], server: FixtureServer, floorDir: string): Promise<Profile> {
  const session = await launchChromium({
    extension: name !== 'none',
    ...(name === 'floor' ? { extensionPath: floorDir } : {}),
    hostResolverRules: server.hostResolverRules,
    ignoreCertificateErrorsSpkiList: server.spkiHash,
  });
  if (name === 'ours')
    await closeWhenReady(session.waitForExtensionReady, await session.openExtensionPage('popup.html'));
  const page = await session.context.newPage();
  return {
    name,
    async load(url) {
      await page.goto(url, { waitUntil: 'load' });
      return page.evaluate(loadTimeScript);
    },
    close: () => session.close(),
  };
}

async function firefoxProfile(name: Profile['name'], server: FixtureServer, floorDir: string): Promise<Profile> {
  const session = await launchFirefox({
    extension: name === 'ours',
    acceptInsecureCerts: true,
    prefs: server.firefoxPrefs,
  });
  if (name === 'floor') await session.browser.installExtension(floorDir);
  if (name === 'ours')
    await closeWhenReady(session.waitForExtensionReady, await session.openExtensionPage('popup.html'));
  const page = await session.browser.newPage();
  return {
    name,
    async load(url) {
      await page.goto(url, { waitUntil: 'load' });
      return page.evaluate(loadTimeScript);
    },
    close: () => session.close(),
  };
}

/**
 * The extension page that proved the worker ready is closed before measuring: a popup left open in
 * a tab of its own keeps asking the worker for its tab's state, which no visitor's browsing pays
 * for (the popup is open only while someone looks at it), and it slowed every load of its profile.
 */
async function closeWhenReady<P extends { close(): Promise<unknown> }>(
  wait: (page: P) => Promise<unknown>,
  page: P,
): Promise<void> {
  await wait(page);
  await page.close();
}

/** Medians per profile for one URL, rounds interleaved across the profiles. */
async function interleaved(profiles: Profile[], url: string): Promise<Record<Profile['name'], number>> {
  const times = new Map<string, number[]>(profiles.map((p) => [p.name, []]));
  for (let round = 0; round < ROUNDS + 2; round++) {
    for (const p of profiles) {
      const ms = await p.load(url);
      if (round >= 2) times.get(p.name)!.push(ms); // the first two loads warm caches and workers
    }
  }
  return Object.fromEntries([...times].map(([k, v]) => [k, median(v)])) as Record<Profile['name'], number>;
}

async function browserBench(browser: 'chromium' | 'firefox', server: FixtureServer): Promise<BenchResult[]> {
  const floorDir = await writeFloorExtension(browser === 'chromium' ? 'chrome' : 'firefox');
  const make = browser === 'chromium' ? chromiumProfile : firefoxProfile;
  const profiles: Profile[] = [];
  try {
    for (const name of ['none', 'floor', 'ours'] as const) profiles.push(await make(name, server, floorDir));
    const results: BenchResult[] = [];
    for (const [page, auditedUrl, plainUrl] of [
      ['', AUDITED, NOT_AUDITED],
      ['-frames', AUDITED_FRAMES, NOT_AUDITED_FRAMES],
    ] as const) {
      const what = page ? ' with cross-site frames' : '';
      const audited = await interleaved(profiles, auditedUrl);
      const plain = await interleaved([profiles[0]!, profiles[2]!], plainUrl);
      const detail = { rounds: ROUNDS, latencyMs: LATENCY_MS, url: auditedUrl, medianMs: audited };
      results.push(
        figure(
          `page-load-${browser}${page}-vs-none`,
          `${browser}: audited page${what} load, ours / no extension`,
          audited.ours / audited.none,
          '×',
          1.25,
          detail,
        ),
        figure(
          `page-load-${browser}${page}-vs-floor`,
          `${browser}: audited page${what} load, ours / do-nothing floor`,
          audited.ours / audited.floor,
          '×',
          1.05,
          detail,
        ),
        figure(
          `page-load-${browser}${page}-unaudited`,
          `${browser}: page${what} not under audit, ours / no extension`,
          plain.ours / plain.none,
          '×',
          1.03,
          { rounds: ROUNDS, url: plainUrl, medianMs: plain },
        ),
      );
    }
    return results;
  } finally {
    for (const p of profiles) await p.close().catch(() => undefined);
    await rm(floorDir, { recursive: true, force: true });
  }
}

export async function pageLoadBench(): Promise<BenchResult[]> {
  const server = await startFixtureServer({ latencyMs: LATENCY_MS });
  const results: BenchResult[] = [];
  try {
    if (!BROWSERS.includes('chromium'))
      results.push({ id: 'page-load-chromium', label: 'Chromium page load', skipped: 'BENCH_BROWSERS' });
    else if (existsSync(CHROMIUM_PATH) && existsSync(CHROME_BUILD))
      results.push(...(await browserBench('chromium', server)));
    else
      results.push({
        id: 'page-load-chromium',
        label: 'Chromium page load',
        skipped: `needs ${CHROMIUM_PATH} and npm run build`,
      });
    if (!BROWSERS.includes('firefox'))
      results.push({ id: 'page-load-firefox', label: 'Firefox page load', skipped: 'BENCH_BROWSERS' });
    else if (existsSync(FIREFOX_PATH) && existsSync(FIREFOX_BUILD))
      results.push(...(await browserBench('firefox', server)));
    else
      results.push({
        id: 'page-load-firefox',
        label: 'Firefox page load',
        skipped: `needs ${FIREFOX_PATH} and npm run build`,
      });
  } finally {
    await server.close();
  }
  return results;
}
