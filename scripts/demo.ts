/**
 * `npm run demo`: serves the bundled fixture site (a synthetic www.o2toit.com and its third parties,
 * tests/fixtures/) on 127.0.0.1, and audits it with every consent scenario through exactly the code
 * path of `npm run audit` (host rules send the real hostnames to the fixture). It builds the
 * extension and finds (or, as root, installs) Chromium on the way, so it runs right after `npm ci`.
 */
import { startFixtureServer } from './fixture-server/server.ts';
import { main } from './audit.ts';
import { TIMINGS_ENV, timed, timingsOn, timingsTable } from './cli/timings.ts';

const SITE = 'https://www.o2toit.com/';

async function demo(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--timings');
  if (unknown.length) {
    console.error(`demo: unknown option ${unknown[0]} (the only one is --timings: where the wall time goes)`);
    return 2;
  }
  if (argv.includes('--timings')) process.env[TIMINGS_ENV] = '1';
  const server = await timed('audit', 'fixture server', () => startFixtureServer());
  try {
    console.error(`Demo: the fixture site plays ${SITE} and its third parties on 127.0.0.1:${server.port}.`);
    console.error('Auditing it with the built extension in headless Chromium, once per consent scenario...\n');
    // The fixture's homemade banner is of no platform autoconsent knows, as on many small sites: the
    // auditor's selectors tell the extension what to click.
    return await main([
      SITE,
      '--scenario',
      'all',
      '--pages',
      '1',
      // The fixture has no timers: each page is done once the extension records nothing new for a
      // quiet second (scripts/cli/settle.ts). The 3 s floor of --wait is for real sites' late tags.
      '--wait',
      '0',
      '--accept-selector',
      '#o2-accept',
      '--reject-selector',
      '#o2-refuse',
      '--host-rules',
      server.hostResolverRules,
      '--ignore-https-errors',
    ]);
  } finally {
    await server.close();
    if (timingsOn()) console.error(`\n${timingsTable()}`);
  }
}

demo(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
