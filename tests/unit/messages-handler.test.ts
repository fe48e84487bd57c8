import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLERS, answer, type Deps } from '../../entrypoints/background/message-handler';
import { reportSnapshots } from '../../entrypoints/background/report-snapshot';
import { createImports } from '../../entrypoints/background/imports';
import { REQUEST_TYPES, type Request, type RequestType, type Sender } from '../../lib/messages';
import { AuditStore } from '../../lib/store/audit-store';
import { ReviewStore } from '../../lib/review/marks';

const SELF = { id: 'auditor-id', origin: 'chrome-extension://auditor-id/' };
const POPUP: Sender = { id: SELF.id, url: `${SELF.origin}popup.html` };
const TAB = 7;
const CONTENT_SCRIPT: Sender = {
  id: SELF.id,
  url: 'https://www.o2toit.com/',
  frameId: 0,
  tab: { id: TAB, url: 'https://www.o2toit.com/' },
};
const ANOTHER_EXTENSION: Sender = { id: 'someone-else', url: 'chrome-extension://someone-else/popup.html' };

/** One well-formed request of every type; a type missing here fails to compile. */
const EXAMPLES: { [K in RequestType]: Request<K> } = {
  status: { type: 'status' },
  'get-report': { type: 'get-report', tabId: TAB },
  'get-snapshot': { type: 'get-snapshot', tabId: TAB },
  'get-observations': { type: 'get-observations', tabId: TAB },
  'restart-audit': { type: 'restart-audit', tabId: TAB },
  'clean-start': { type: 'clean-start', tabId: TAB },
  'audit-site': { type: 'audit-site', tabId: TAB },
  'page-events': { type: 'page-events', events: [] },
  'resource-timings': { type: 'resource-timings', entries: [] },
  'consent-report': { type: 'consent-report', report: { kind: 'autoconsent', message: { type: 'cmpDetected' } } },
  'autoconsent-eval': { type: 'autoconsent-eval', id: '1', snippetId: 'EVAL_0' },
  'consent-action': { type: 'consent-action', tabId: TAB, action: 'reject' },
  'mark-consent': { type: 'mark-consent', tabId: TAB, decision: 'reject' },
  journey: { type: 'journey', tabId: TAB, goal: 'detect' },
  'import-policy': { type: 'import-policy', text: '{}', source: 'p.json' },
  'import-knowledge': { type: 'import-knowledge', kind: 'filters', text: '||tracker.example^' },
  'list-imports': { type: 'list-imports' },
  'remove-import': { type: 'remove-import', kind: 'policy', id: 'nothing' },
  classify: { type: 'classify', url: 'https://www.google-analytics.com/g/collect' },
  'list-history': { type: 'list-history' },
  'get-audit-report': { type: 'get-audit-report', auditId: 'nothing' },
  'delete-audit': { type: 'delete-audit', auditId: 'nothing' },
  'set-review': { type: 'set-review', auditId: 'nothing', findingId: 'f', mark: { status: 'confirmed' } },
};

/** What content scripts send (stated here, not read from the table, so widening the table fails a test). */
const FROM_CONTENT_SCRIPTS: RequestType[] = ['page-events', 'resource-timings', 'consent-report', 'autoconsent-eval'];
const PAGE_ONLY = REQUEST_TYPES.filter((t) => !FROM_CONTENT_SCRIPTS.includes(t));
/** Commands that name a tab. */
const WITH_AUDIT: RequestType[] = [
  'get-report',
  'get-snapshot',
  'get-observations',
  'restart-audit',
  'clean-start',
  'consent-action',
  'mark-consent',
  'journey',
];
const typesFrom = (role: 'extension-page' | 'content-script') =>
  REQUEST_TYPES.filter((t) => (HANDLERS[t].from as readonly string[]).includes(role));

async function setup(overrides: Partial<Deps> = {}) {
  const store = new AuditStore(fakeBrowser.storage.local);
  await store.ready;
  const imports = createImports(fakeBrowser.storage.local);
  await imports.ready;
  const reviews = new ReviewStore(fakeBrowser.storage.local);
  const deps: Deps = {
    store,
    policies: () => imports.policies(),
    knowledge: imports.knowledge,
    knowledgeInfo: imports.knowledgeInfo,
    imports,
    reviews,
    ready: Promise.resolve(),
    isReady: () => true,
    snapshots: reportSnapshots({
      store,
      policies: () => imports.policies(),
      knowledge: imports.knowledge,
      knowledgeInfo: imports.knowledgeInfo,
      reviews,
    }),
    ...overrides,
  };
  const ask = (message: unknown, sender: Sender = POPUP) => answer(message, sender, deps, SELF);
  return { store, deps, ask };
}

describe('the background answers every message with one answer shape', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    // Node 20 has no navigator; a report names the browser from it (once per module: stub it for all).
    vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36' });
    fakeBrowser.runtime.getManifest = vi.fn(() => ({ manifest_version: 3, name: 'x', version: '9.9.9' })) as never;
    fakeBrowser.scripting.getRegisteredContentScripts = vi.fn(async () => []) as never;
    fakeBrowser.scripting.registerContentScripts = vi.fn(async () => undefined) as never;
    fakeBrowser.scripting.unregisterContentScripts = vi.fn(async () => undefined) as never;
    fakeBrowser.scripting.executeScript = vi.fn(async () => [{ result: true }]) as never;
  });
  afterEach(() => vi.unstubAllGlobals());

  it('has one handler per request type, and the runtime list is the table', () => {
    expect([...REQUEST_TYPES].sort()).toEqual(Object.keys(HANDLERS).sort());
    expect(Object.keys(EXAMPLES).sort()).toEqual(Object.keys(HANDLERS).sort());
    // Every handler names at least one caller; the page world is never one.
    for (const type of REQUEST_TYPES) expect(HANDLERS[type].from.length, type).toBeGreaterThan(0);
    expect(REQUEST_TYPES.filter((t) => HANDLERS[t].pageWorldPayload)).toEqual(['page-events']);
  });

  it('lets content scripts send only what content scripts send, and extension pages the rest', () => {
    expect(typesFrom('content-script').sort()).toEqual([...FROM_CONTENT_SCRIPTS].sort());
    expect(typesFrom('extension-page')).toEqual(PAGE_ONLY);
    expect(REQUEST_TYPES.filter((t) => HANDLERS[t].audit)).toEqual(WITH_AUDIT);
  });

  it.each(PAGE_ONLY)('refuses %s from a content script: not-allowed', async (type) => {
    const { ask, store } = await setup();
    store.start(TAB, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', Date.now());
    const before = store.observations(store.auditOf(TAB)!.auditId);
    expect(await ask(EXAMPLES[type], CONTENT_SCRIPT)).toEqual({
      ok: false,
      refusal: { code: 'not-allowed', message: `${type} is not allowed from a content script` },
    });
    // Refused means nothing happened: the audit is the same one, with the same observations.
    expect(store.auditOf(TAB)?.auditId).toBe(store.audits()[0]!.auditId);
    expect(await store.observations(store.auditOf(TAB)!.auditId)).toEqual(await before);
  });

  it.each(FROM_CONTENT_SCRIPTS)('refuses %s from an extension page: not-allowed', async (type) => {
    const { ask } = await setup();
    expect(await ask(EXAMPLES[type], POPUP)).toMatchObject({ ok: false, refusal: { code: 'not-allowed' } });
  });

  it.each(REQUEST_TYPES)('refuses %s from another extension: not-allowed', async (type) => {
    const { ask } = await setup();
    expect(await ask(EXAMPLES[type], ANOTHER_EXTENSION)).toEqual({
      ok: false,
      refusal: { code: 'not-allowed', message: `${type} is not allowed from an unknown sender` },
    });
  });

  it('refuses a malformed request, an unknown type and a non-request: bad-request', async () => {
    const { ask } = await setup();
    expect(await ask({ type: 'get-report', tabId: 'seven' })).toEqual({
      ok: false,
      refusal: { code: 'bad-request', message: 'malformed get-report request' },
    });
    expect(await ask({ type: 'format-disk' })).toEqual({
      ok: false,
      refusal: { code: 'bad-request', message: 'unknown request type "format-disk"' },
    });
    expect(await ask('status')).toMatchObject({ ok: false, refusal: { code: 'bad-request' } });
  });

  it('refuses an invalid policy file as a bad request, with the field at fault', async () => {
    const { ask } = await setup();
    const text = readFileSync(join(__dirname, '../../policies/example-boutique.fr.json'), 'utf8').replace(
      '"language": "fr"',
      '"language": "French"',
    );
    expect(await ask({ type: 'import-policy', text, source: 'broken.json' })).toEqual({
      ok: false,
      refusal: {
        code: 'bad-request',
        message: 'the policy was not imported',
        problems: [{ path: '/language', line: 7, message: 'must match ^[a-z]{2}$' }],
      },
    });
  });

  it.each(WITH_AUDIT)('refuses %s for a tab not under audit: not-under-audit', async (type) => {
    const { ask, store } = await setup();
    store.start(TAB + 1, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', Date.now());
    expect(await ask(EXAMPLES[type])).toEqual({
      ok: false,
      refusal: {
        code: 'not-under-audit',
        message: `tab ${TAB} is not under audit: open a site that has a declared policy`,
      },
    });
  });

  it('still reports an ended audit, but no longer acts on it', async () => {
    const { ask, store } = await setup();
    store.start(TAB, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', Date.now());
    store.end(TAB, Date.now());
    const report = await ask(EXAMPLES['get-report']);
    expect(report.ok && (report.value as { provenance: { site: string } }).provenance.site).toBe('o2toit.com');
    expect(await ask(EXAMPLES['mark-consent'])).toMatchObject({ ok: false, refusal: { code: 'not-under-audit' } });
  });

  it('refuses what needs the store when the extension failed to start: not-ready', async () => {
    const { ask } = await setup({ isReady: () => false });
    expect(await ask(EXAMPLES['get-observations'])).toEqual({
      ok: false,
      refusal: { code: 'not-ready', message: 'the extension failed to start; see its background console' },
    });
    expect(await ask(EXAMPLES['page-events'], CONTENT_SCRIPT)).toMatchObject({ refusal: { code: 'not-ready' } });
    // Status still answers, and says so.
    expect(await ask(EXAMPLES.status)).toMatchObject({ ok: true, value: { ready: false, version: '9.9.9' } });
  });

  it('refuses a request whose handling failed: failed', async () => {
    const { ask, store } = await setup();
    store.start(TAB, 'o2toit.com', 'withdrawn-policy', 'https://www.o2toit.com/', Date.now());
    expect(await ask(EXAMPLES['get-report'])).toEqual({
      ok: false,
      refusal: { code: 'failed', message: 'policy withdrawn-policy is no longer loaded' },
    });
    expect(await ask(EXAMPLES['remove-import'])).toMatchObject({ ok: false, refusal: { code: 'failed' } });
  });

  it('answers the allowed callers with { ok: true, value }', async () => {
    const { ask, store } = await setup();
    const status = await ask(EXAMPLES.status);
    expect(status).toEqual({
      ok: true,
      value: {
        ready: true,
        version: '9.9.9',
        audits: [],
        policies: [{ id: 'o2toit.com', sites: ['o2toit.com'], origin: 'builtin' }],
        storage: { ok: true, unsaved: 0 },
      },
    });
    // A content script's report starts the audit of a site with a policy, then its page events are recorded.
    const events = [
      {
        type: 'storage',
        area: 'localStorage',
        action: 'set',
        key: 'k',
        time: Date.now(),
        url: 'https://www.o2toit.com/',
      },
    ];
    expect(await ask({ type: 'page-events', events }, CONTENT_SCRIPT)).toEqual({ ok: true, value: null });
    const meta = store.auditOf(TAB)!;
    expect(meta.site).toBe('o2toit.com');
    const observations = await ask(EXAMPLES['get-observations']);
    expect(
      observations.ok && (observations.value as Array<{ kind: string; key?: string }>).map((o) => [o.kind, o.key]),
    ).toEqual([['storage', 'k']]);
    const restarted = await ask(EXAMPLES['restart-audit']);
    expect(restarted).toMatchObject({ ok: true, value: { tabId: TAB, site: 'o2toit.com', observations: 0 } });
    expect(store.auditOf(TAB)!.auditId).not.toBe(meta.auditId);
    expect(await ask(EXAMPLES['autoconsent-eval'], CONTENT_SCRIPT)).toEqual({ ok: true, value: true });
  });
});
