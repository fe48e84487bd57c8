/**
 * The "do-nothing" extension that is the floor of page-load overhead: it registers only what any
 * auditor needs (a `webRequest.onHeadersReceived` listener, with `extraHeaders` where the browser has
 * it, `cookies.onChanged`, and two `document_start` content scripts) and does nothing in them.
 * Written to a temporary folder per browser, since Chrome and Firefox manifests differ.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function writeFloorExtension(browser: 'chrome' | 'firefox'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `consent-auditor-floor-${browser}-`));
  const manifest = {
    manifest_version: 3,
    name: 'Auditor floor (benchmark)',
    version: '1.0.0',
    permissions: ['webRequest', 'cookies', 'storage'],
    host_permissions: ['<all_urls>'],
    background: browser === 'chrome' ? { service_worker: 'background.js' } : { scripts: ['background.js'] },
    content_scripts: [
      { matches: ['<all_urls>'], js: ['isolated.js'], run_at: 'document_start', all_frames: true },
      { matches: ['<all_urls>'], js: ['main.js'], run_at: 'document_start', all_frames: true, world: 'MAIN' },
    ],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: { id: 'auditor-floor@bench.local', data_collection_permissions: { required: ['none'] } },
          },
        }
      : {}),
  };
  const background = `
const api = globalThis.browser ?? globalThis.chrome;
const extra = api.webRequest.OnHeadersReceivedOptions?.EXTRA_HEADERS ? ['responseHeaders', 'extraHeaders'] : ['responseHeaders'];
api.webRequest.onHeadersReceived.addListener(() => undefined, { urls: ['<all_urls>'] }, extra);
api.cookies.onChanged.addListener(() => undefined);
`;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(dir, 'background.js'), background);
  await writeFile(join(dir, 'isolated.js'), '// floor: nothing\n');
  await writeFile(join(dir, 'main.js'), '// floor: nothing\n');
  return dir;
}
