import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { startFixtureServer } from '/work/wt/h4/scripts/fixture-server/server.ts';
const server = await startFixtureServer();
const profile = mkdtempSync('/tmp/h4prof-');
const p = spawn('/usr/lib/chromium/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync', '--disable-component-update',
  `--user-data-dir=${profile}`, `--host-resolver-rules=${server.hostResolverRules}`, `--ignore-certificate-errors-spki-list=${server.spkiHash}`,
  '--load-extension=/tmp/h4probe2', '--disable-extensions-except=/tmp/h4probe2', ...process.argv.slice(2), 'about:blank'], { stdio: 'ignore' });
const hit = await server.waitForHit((h) => h.path === '/probe-log', 30000);
for (const l of JSON.parse(hit.body)) console.log(JSON.stringify(l));
p.kill(); await server.close(); process.exit(0);
