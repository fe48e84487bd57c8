/**
 * Chromium with the built extension and no DevTools client on the audited tab. Chromium turns
 * prerendering off for a page a DevTools client is attached to ("PrerenderingDisabledByDevTools"),
 * and Playwright attaches to every page. Here the browser is spawned with `--remote-debugging-pipe`
 * (CDP as NUL-separated JSON on fds 3 and 4), and one session is attached to an extension page only: it opens and drives the audited tab through
 * the extension APIs (tabs, scripting), so that tab has no DevTools client at all.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { FixtureServer } from '../../../scripts/fixture-server/server.ts';
import { CHROMIUM_PATH } from '../../../scripts/browser/chromium.ts';
import type { EvaluatingPage } from '../../../scripts/browser/extension-client.ts';
import { CHROME_BUILD } from './paths.ts';

export interface UnattachedChromium {
  /** An extension page (popup.html) to evaluate in. */
  control: EvaluatingPage;
  close(): Promise<void>;
}

export async function launchUnattachedChromium(server: FixtureServer): Promise<UnattachedChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'consent-auditor-unattached-'));
  const child = spawn(
    CHROMIUM_PATH,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-sync',
      '--disable-component-update',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      `--host-resolver-rules=${server.hostResolverRules}`,
      `--ignore-certificate-errors-spki-list=${server.spkiHash}`,
      `--load-extension=${CHROME_BUILD}`,
      `--disable-extensions-except=${CHROME_BUILD}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const close = async () => {
    child.kill('SIGKILL');
    await rm(profile, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    const toBrowser = child.stdio[3] as Writable;
    const fromBrowser = child.stdio[4] as Readable;
    let id = 0;
    const waiting = new Map<number, (msg: { result?: any; error?: { message: string } }) => void>();
    let buffered = '';
    fromBrowser.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let end: number;
      while ((end = buffered.indexOf('\0')) >= 0) {
        const msg = JSON.parse(buffered.slice(0, end)) as { id?: number; result?: any; error?: { message: string } };
        buffered = buffered.slice(end + 1);
        if (msg.id !== undefined) waiting.get(msg.id)?.(msg);
      }
    });
    const send = (method: string, params: object = {}, sessionId?: string): Promise<any> =>
      new Promise((resolve, reject) => {
        const n = ++id;
        waiting.set(n, (msg) =>
          msg.error ? reject(new Error(`${method}: ${msg.error.message}`)) : resolve(msg.result),
        );
        toBrowser.write(JSON.stringify({ id: n, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
      });
    let extensionId: string | undefined;
    for (let i = 0; i < 100 && !extensionId; i++) {
      const { targetInfos } = (await send('Target.getTargets')) as {
        targetInfos: Array<{ type: string; url: string }>;
      };
      const worker = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
      if (worker) extensionId = new URL(worker.url).host;
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (!extensionId) throw new Error('the extension service worker never appeared');
    const { targetId } = (await send('Target.createTarget', {
      url: `chrome-extension://${extensionId}/popup.html`,
    })) as {
      targetId: string;
    };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const control: EvaluatingPage = {
      async evaluate(fn, arg) {
        const expression = `(${fn.toString()})(${JSON.stringify(arg ?? null)})`;
        const r = (await send(
          'Runtime.evaluate',
          { expression, awaitPromise: true, returnByValue: true },
          sessionId,
        )) as {
          result: { value?: unknown };
          exceptionDetails?: { text: string; exception?: { description?: string } };
        };
        if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
        return r.result.value;
      },
    };
    return {
      control,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
