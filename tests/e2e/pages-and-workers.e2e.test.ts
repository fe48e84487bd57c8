/**
 * Pages and requests that no top-level document request of the tab shows: history-API pages, a
 * service worker's requests (no tab), and a page left and gone back to. Ground truth is the
 * fixture's own account (tests/fixtures/sites/www.o2toit.com/pages/) and the server's hit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/report/types';
import { startFixtureServer, type FixtureServer } from '../../scripts/fixture-server/server';
import { launchChromium } from './harness/chromium';
import { launchFirefox } from './harness/firefox';
import { launchUnattachedChromium } from './harness/chromium-unattached';
import { sendRuntimeMessage, waitForExtensionReady, type EvaluatingPage } from './harness/extension-client';
import { POLL } from './poll';
import { assertValidReport, waitForReport } from './report-helpers';

const BASE = 'https://www.o2toit.com/pages/';
const PIXEL = 'https://www.facebook.com/tr?id=1234&ev=';
const TIMEOUT = { timeout: 90_000 };

type Kind = 'chromium' | 'firefox';
interface Run {
  control: EvaluatingPage;
  page: EvaluatingPage & {
    goto(url: string): Promise<unknown>;
    click(selector: string): Promise<void>;
    goBack(): Promise<unknown>;
  };
}

/** A fresh browser with the extension; `body` drives one page, the harness is always closed. */
async function withBrowser(kind: Kind, server: FixtureServer, body: (run: Run) => Promise<void>): Promise<void> {
  const harness = kind === 'chromium' ? await launchChromium({ server }) : await launchFirefox({ server });
  try {
    const control = (await harness.openExtensionPage('popup.html')) as unknown as EvaluatingPage;
    await harness.waitForExtensionReady(control as never);
    const page =
      kind === 'chromium'
        ? await (harness as Awaited<ReturnType<typeof launchChromium>>).context.newPage()
        : await (harness as Awaited<ReturnType<typeof launchFirefox>>).browser.newPage();
    await body({ control, page: page as unknown as Run['page'] });
  } finally {
    await harness.close();
  }
}

const report = (run: Run, done: (r: AuditReport) => boolean) => waitForReport(run.control, BASE, done, 30_000);
const pixels = (r: AuditReport, ev: string) => r.observations.requests.filter((q) => q.url.startsWith(PIXEL + ev));

describe.each(['chromium', 'firefox'] as const)('pages and workers in %s', (kind) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts pushState and replaceState navigations as pages, from the browser', TIMEOUT, async () => {
    await withBrowser(kind, server, async (run) => {
      await run.page.goto(`${BASE}spa.html`);
      await run.page.click('#to-produits'); // pushState
      await run.page.click('#to-panier'); // replaceState
      const r = await report(run, (x) => (x.observations.pages ?? []).length >= 2 && pixels(x, 'PageView').length >= 2);
      assertValidReport(r);
      const visited = [`${BASE}spa.html`, `${BASE}produits`, `${BASE}panier`];
      expect(r.scenarios[0]!.pages).toEqual(visited);
      const pages = r.observations.pages ?? [];
      expect(pages.map((p) => [p.navigation, p.url, p.source, p.phase])).toEqual([
        ['history', visited[1], 'webNavigation', 'before-consent'],
        ['history', visited[2], 'webNavigation', 'before-consent'],
      ]);
      // Each virtual page view's pixel names a page the browser recorded. Its order against the page
      // record is not asserted: webRequest and webNavigation events come from separate browser queues.
      const views = pixels(r, 'PageView');
      const recorded = pages.map((p) => new URL(p.url).pathname);
      expect(views.map((v) => new URL(v.url).searchParams.get('dl'))).toEqual(recorded);
      const meta = r.findings.find((f) => f.id === 'tracker-before-consent:meta-pixel');
      expect(meta?.evidence.map((e) => e.seq)).toEqual(views.map((v) => v.seq));
    });
  });

  it('attributes a service worker request (no tab) to the audit of its site, before consent', TIMEOUT, async () => {
    await withBrowser(kind, server, async (run) => {
      await run.page.goto(`${BASE}worker.html`);
      await expect
        .poll(() => run.page.evaluate(() => (window as unknown as { __sw: string }).__sw, null), POLL)
        .toBe('ready');
      const install = `${PIXEL}ServiceWorkerInstall`;
      await server.waitForHit({ host: 'www.facebook.com', path: '/tr?id=1234&ev=ServiceWorkerInstall' }, 10_000);
      const r = await report(run, (x) => pixels(x, 'ServiceWorkerInstall').length > 0);
      assertValidReport(r);
      const hits = server.hits.filter((h) => h.url === install).length;
      const recorded = pixels(r, 'ServiceWorkerInstall');
      expect(recorded).toHaveLength(hits);
      expect(recorded[0]).toMatchObject({ fromServiceWorker: true, phase: 'before-consent', thirdParty: true });
      // The page's own requests are not marked.
      expect(r.observations.requests.find((q) => q.url === `${BASE}worker.html`)?.fromServiceWorker).toBeUndefined();
      const meta = r.findings.find((f) => f.id === 'tracker-before-consent:meta-pixel');
      expect(meta?.phase).toBe('before-consent');
      expect(meta?.evidence.map((e) => e.url)).toContain(install);
    });
  });

  it('going back to an audited page neither duplicates nor loses its records', TIMEOUT, async () => {
    await withBrowser(kind, server, async (run) => {
      await run.page.goto(`${BASE}prerender.html`);
      await run.page.click('#next');
      await expect.poll(() => run.page.evaluate(() => location.pathname, null), POLL).toBe('/pages/prerendered.html');
      await server.waitForHit({ host: 'www.facebook.com', path: '/tr?id=1234&ev=Prerendered' }, 10_000);
      await run.page.goBack();
      await expect.poll(() => run.page.evaluate(() => location.pathname, null), POLL).toBe('/pages/prerender.html');
      // The end marker: a request the page makes once it is back; then the report is read.
      const marker = `${BASE}back-settled?${kind}`;
      await run.page.evaluate(
        (u: string) =>
          fetch(u).then(
            () => undefined,
            () => undefined,
          ),
        marker,
      );
      await server.waitForHit({ host: 'www.o2toit.com', path: `/pages/back-settled?${kind}` }, 10_000);
      const r = await report(run, (x) => x.observations.requests.some((q) => q.url === marker));
      assertValidReport(r);
      const seqs = [...r.observations.requests, ...(r.observations.pages ?? [])].map((o) => o.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      // Every document the server served is one record; a page restored from the back/forward cache
      // (no request) is one `page` record instead.
      const served = (path: string) => server.hits.filter((h) => h.host === 'www.o2toit.com' && h.path === path).length;
      const documents = (url: string) =>
        r.observations.requests.filter((q) => q.type === 'main_frame' && q.url === url && !q.prerendered).length;
      const restored = (r.observations.pages ?? []).filter((p) => p.navigation === 'back-forward-cache');
      expect(documents(`${BASE}prerender.html`) + restored.length).toBe(2);
      expect(documents(`${BASE}prerender.html`)).toBe(served('/pages/prerender.html'));
      expect(pixels(r, 'Prerendered')).toHaveLength(server.hits.filter((h) => h.url === `${PIXEL}Prerendered`).length);
      expect(r.scenarios[0]!.pages.slice(0, 1)).toEqual([`${BASE}prerender.html`]);
    });
  });
});

/**
 * A real prerender needs a tab no DevTools client is attached to (harness/chromium-unattached.ts).
 * The prerendered page fires its pixel before the visitor sees it; the auditor accepts; then the
 * visitor opens the page. The pixel is judged at the activation, after the accept: no finding.
 */
describe('prerender in chromium', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("puts a prerendered page's requests in the phase of its activation, not of its prerender", TIMEOUT, async () => {
    const chromium = await launchUnattachedChromium(server);
    try {
      const { control } = chromium;
      await waitForExtensionReady(control);
      const tabId = (await control.evaluate(
        (url: string) => (globalThis as any).chrome.tabs.create({ url }).then((t: { id: number }) => t.id),
        `${BASE}prerender.html`,
      )) as number;
      // The prerender is under way once its pixel reached the server.
      await server.waitForHit({ host: 'www.facebook.com', path: '/tr?id=1234&ev=Prerendered' }, 20_000);
      // Held: a page the visitor has not seen puts nothing in the report yet.
      expect(pixels(await report({ control } as Run, () => true), 'Prerendered')).toEqual([]);
      await sendRuntimeMessage(control, { type: 'mark-consent', tabId, decision: 'accept' });
      await report({ control } as Run, (x) => x.observations.consent.some((c) => c.event === 'decision'));
      await control.evaluate(
        (id: number) =>
          (globalThis as any).chrome.scripting.executeScript({
            target: { tabId: id },
            func: () => document.getElementById('next')!.click(),
          }),
        tabId,
      );
      const r = await report({ control } as Run, (x) =>
        (x.observations.pages ?? []).some((p) => p.navigation === 'prerender-activation'),
      );
      assertValidReport(r);
      const served = server.hits.filter((h) => h.url === `${PIXEL}Prerendered`).length;
      expect(served).toBe(1); // activation loads nothing again
      const [pixel] = pixels(r, 'Prerendered');
      const activation = r.observations.pages!.find((p) => p.navigation === 'prerender-activation')!;
      expect(activation.url).toBe(`${BASE}prerendered.html`);
      expect(pixel).toMatchObject({ prerendered: activation.documentId, phase: 'after-accept', time: activation.time });
      expect(pixel!.prerenderedAt).toBeLessThan(activation.time);
      expect(r.findings.filter((f) => f.rule === 'tracker-before-consent')).toEqual([]);
      expect(r.scenarios[0]!.pages).toEqual([`${BASE}prerender.html`, `${BASE}prerendered.html`]);
    } finally {
      await chromium.close();
    }
  });

  it('counts a page restored from the back/forward cache as a revisit, with no new request', TIMEOUT, async () => {
    const chromium = await launchUnattachedChromium(server);
    try {
      const { control } = chromium;
      await waitForExtensionReady(control);
      const run = { control } as Run;
      const tabId = (await control.evaluate(
        (url: string) => (globalThis as any).chrome.tabs.create({ url }).then((t: { id: number }) => t.id),
        `${BASE}back.html`,
      )) as number;
      const click = (selector: string) =>
        control.evaluate(
          ([id, sel]: [number, string]) =>
            (globalThis as any).chrome.scripting.executeScript({
              target: { tabId: id },
              func: (s: string) => (document.querySelector(s) as HTMLElement).click(),
              args: [sel],
            }),
          [tabId, selector],
        );
      await report(run, (x) => pixels(x, 'Back').length === 1);
      await click('#forth');
      await report(run, (x) => x.observations.requests.some((q) => q.url === `${BASE}forth.html`));
      await click('#back');
      const r = await report(run, (x) =>
        (x.observations.pages ?? []).some((p) => p.navigation === 'back-forward-cache'),
      );
      assertValidReport(r);
      const served = (path: string) => server.hits.filter((h) => h.host === 'www.o2toit.com' && h.path === path).length;
      expect(served('/pages/back.html')).toBe(1);
      const documents = r.observations.requests.filter((q) => q.type === 'main_frame' && q.url === `${BASE}back.html`);
      expect(documents).toHaveLength(1);
      expect(pixels(r, 'Back')).toHaveLength(server.hits.filter((h) => h.url === `${PIXEL}Back`).length);
      const restored = r.observations.pages!.filter((p) => p.navigation === 'back-forward-cache');
      expect(restored.map((p) => p.url)).toEqual([`${BASE}back.html`]);
      expect(restored[0]!.seq).toBeGreaterThan(documents[0]!.seq);
      expect(r.scenarios[0]!.pages).toEqual([`${BASE}back.html`, `${BASE}forth.html`]);
    } finally {
      await chromium.close();
    }
  });
});
