import { ReviewStore } from '@/lib/review/marks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { answer, type Deps } from '../../entrypoints/background/message-handler';
import { createImports } from '../../entrypoints/background/imports';
import type { Sender } from '../../lib/messages';
import { AuditStore } from '../../lib/store/audit-store';

const SELF = { id: 'auditor-id', origin: 'chrome-extension://auditor-id/' };
const TAB = 7;
const PAGE = 'https://www.o2toit.com/';
const CONTENT_SCRIPT: Sender = { id: SELF.id, url: PAGE, frameId: 0, tab: { id: TAB, url: PAGE } };
const UA = {
  chromium: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
};

/**
 * A page-world `document.cookie` write is read as the browser running the extension reads it. The
 * browsers differ on `Max-Age=+3600` (lib/collectors/cookie-date.ts and the corpus): Chromium takes
 * the sign, Firefox ignores the attribute, so the cookie is a session cookie.
 */
describe.each(['chromium', 'firefox'] as const)('a document.cookie write in %s', (kind) => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.stubGlobal('navigator', { userAgent: UA[kind] });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("is parsed with that browser's reading", async () => {
    const store = new AuditStore(fakeBrowser.storage.local);
    await store.ready;
    const imports = createImports(fakeBrowser.storage.local);
    await imports.ready;
    const deps: Deps = {
      store,
      policies: () => imports.policies(),
      knowledge: imports.knowledge,
      knowledgeInfo: imports.knowledgeInfo,
      imports,
      ready: Promise.resolve(),
      isReady: () => true,
      reviews: new ReviewStore(fakeBrowser.storage.local),
    };
    const now = Date.now();
    store.start(TAB, 'o2toit.com', 'o2toit.com', PAGE, now - 1_000);
    const event = { type: 'cookie-write', raw: 'o2_js_id=abc; max-age=+3600; path=/', time: now, url: PAGE };
    expect(await answer({ type: 'page-events', events: [event] }, CONTENT_SCRIPT, deps, SELF)).toEqual({
      ok: true,
      value: null,
    });
    const [cookie] = (await store.observations(store.auditOf(TAB)!.auditId)).filter((o) => o.kind === 'cookie');
    if (kind === 'chromium') expect(cookie).toMatchObject({ name: 'o2_js_id', session: false });
    else expect(cookie).toMatchObject({ name: 'o2_js_id', session: true });
    if (kind === 'chromium' && cookie?.kind === 'cookie') expect(cookie.requestedExpiry! - cookie.time).toBe(3_600_000);
  });
});
