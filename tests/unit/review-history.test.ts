import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { reportSnapshots } from '../../entrypoints/background/report-snapshot';
import { answer, type Deps } from '../../entrypoints/background/message-handler';
import { createImports } from '../../entrypoints/background/imports';
import { cleanReviews, ReviewStore, reviewKey } from '../../lib/review/marks';
import type { Sender } from '../../lib/messages';
import type { UnsequencedObservation } from '../../lib/observations';
import type { AuditReport } from '../../lib/report/types';
import { AuditStore, MAX_KEPT_AUDITS, type KeyValueStorage } from '../../lib/store/audit-store';

const SELF = { id: 'auditor-id', origin: 'chrome-extension://auditor-id/' };
const POPUP: Sender = { id: SELF.id, url: `${SELF.origin}popup.html` };

function mapStorage(): KeyValueStorage & { data: Map<string, unknown>; quota: boolean } {
  const data = new Map<string, unknown>();
  const storage = {
    data,
    quota: false,
    async get(keys: string | string[] | null) {
      const list = keys === null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
    },
    async set(items: Record<string, unknown>) {
      if (storage.quota) throw new Error('QUOTA_BYTES quota exceeded');
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys: string | string[]) {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
  };
  return storage;
}

const cookie = (tabId: number, name: string, time: number): UnsequencedObservation => ({
  kind: 'cookie',
  action: 'set',
  time,
  tabId,
  frameId: 0,
  url: 'https://www.o2toit.com/',
  topSite: 'o2toit.com',
  source: 'webRequest',
  name,
  domain: 'o2toit.com',
  path: '/',
  via: 'set-cookie-header',
  session: false,
  requestedExpiry: time + 800 * 86_400_000,
});

describe('review marks', () => {
  it('are set, replaced and cleared by audit and finding, one write after another', async () => {
    const storage = mapStorage();
    const reviews = new ReviewStore(storage);
    const now = Date.parse('2026-03-10T10:00:00Z');
    // Two marks at once on one audit: neither is lost.
    await Promise.all([
      reviews.set('a1', 'f1', { status: 'confirmed', note: '  cookie seen  ', reviewer: ' Léa ' }, now),
      reviews.set('a1', 'f2', { status: 'false-positive', note: '', reviewer: '' }, now),
    ]);
    expect(await reviews.get('a1')).toEqual({
      f1: { status: 'confirmed', note: 'cookie seen', reviewer: 'Léa', at: '2026-03-10T10:00:00.000Z' },
      f2: { status: 'false-positive', at: '2026-03-10T10:00:00.000Z' },
    });
    expect(await reviews.get('a2')).toEqual({});
    await reviews.set('a1', 'f1', null, now);
    await reviews.set('a1', 'f2', null, now);
    expect(storage.data.has(reviewKey('a1'))).toBe(false);
  });

  it('keeps only well-formed marks from storage or a saved file', () => {
    expect(
      cleanReviews({
        ok: { status: 'to-investigate', at: 'x', extra: 1 },
        badStatus: { status: 'maybe', at: 'x' },
        noTime: { status: 'confirmed' },
        badNote: { status: 'confirmed', at: 'x', note: 3 },
      }),
    ).toEqual({ ok: { status: 'to-investigate', at: 'x' } });
    expect(cleanReviews([1, 2])).toEqual({});
  });
});

describe('the audit store keeps a bounded history', () => {
  it('deletes an audit by id with its observations, and tells its listeners', async () => {
    const storage = mapStorage();
    let n = 0;
    const store = new AuditStore(storage, () => `a${++n}`);
    await store.ready;
    const dropped: string[] = [];
    store.onDrop((id) => dropped.push(id));
    store.start(1, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000);
    store.record(1, cookie(1, 'x', 1000));
    await store.flush();
    expect([...storage.data.keys()]).toContain('obs:v1:a1:0');
    expect(await store.remove('a1')).toBe(true);
    expect(store.byId('a1')).toBeUndefined();
    expect(store.auditOf(1)).toBeUndefined();
    expect([...storage.data.keys()].filter((k) => k.startsWith('obs:'))).toEqual([]);
    expect(dropped).toEqual(['a1']);
    expect(await store.remove('a1')).toBe(false);
  });

  it('prunes the oldest ended audits beyond the bound, and frees the oldest when storage is full', async () => {
    const storage = mapStorage();
    let n = 0;
    const store = new AuditStore(storage, () => `a${++n}`);
    await store.ready;
    const dropped: string[] = [];
    store.onDrop((id) => dropped.push(id));
    for (let t = 0; t < MAX_KEPT_AUDITS + 2; t++) {
      store.start(100 + t, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 1000 + t);
      store.end(100 + t, 2000 + t);
    }
    store.start(1, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', 5000); // prunes on start
    expect(dropped).toEqual(['a1', 'a2']);
    expect(store.audits().filter((a) => a.endedAt !== undefined)).toHaveLength(MAX_KEPT_AUDITS);
    storage.quota = true;
    store.record(1, cookie(1, 'x', 5000));
    await store.flush();
    expect(dropped).toEqual(['a1', 'a2', 'a3']); // the oldest kept one
    expect(store.auditOf(1)!.notes.join(' ')).toMatch(/storage full: the oldest past audit \(o2toit\.com/);
  });
});

describe('history and review messages', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0 Safari/537.36' });
    fakeBrowser.runtime.getManifest = vi.fn(() => ({ manifest_version: 3, name: 'x', version: '9.9.9' })) as never;
    fakeBrowser.scripting.getRegisteredContentScripts = vi.fn(async () => []) as never;
    fakeBrowser.scripting.registerContentScripts = vi.fn(async () => undefined) as never;
    fakeBrowser.tabs.sendMessage = vi.fn(async () => true) as never;
  });
  afterEach(() => vi.unstubAllGlobals());

  async function setup() {
    const store = new AuditStore(fakeBrowser.storage.local);
    await store.ready;
    const imports = createImports(fakeBrowser.storage.local);
    await imports.ready;
    const reviews = new ReviewStore(fakeBrowser.storage.local);
    store.onDrop((id) => void reviews.remove(id));
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
    };
    const ask = async (message: unknown) => {
      const a = await answer(message, POPUP, deps, SELF);
      if (!a.ok) throw new Error(`${a.refusal.code}: ${a.refusal.message}`);
      return a.value;
    };
    return { store, ask };
  }

  it("lists a closed tab's audit with its counts, marks its findings, exports them, and deletes it", async () => {
    const { store, ask } = await setup();
    const t = Date.now();
    const meta = store.start(7, 'o2toit.com', 'o2toit.com', 'https://www.o2toit.com/', t);
    store.record(7, cookie(7, '_ga', t + 10));
    const live = (await ask({ type: 'get-report', tabId: 7 })) as AuditReport;
    expect(live.auditId).toBe(meta.auditId);
    expect(live.findings.length).toBeGreaterThan(0);
    store.end(7, t + 1000); // the tab closed (tab-ends.ts)

    const [entry, ...others] = (await ask({ type: 'list-history' })) as Array<Record<string, unknown>>;
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      auditId: meta.auditId,
      site: 'o2toit.com',
      running: false,
      endedAt: t + 1000,
      counts: { findings: live.summary.findings, bySeverity: live.summary.bySeverity },
      reviewed: 0,
    });

    const finding = live.findings[0]!;
    const marks = await ask({
      type: 'set-review',
      auditId: meta.auditId,
      findingId: finding.id,
      mark: { status: 'confirmed', note: 'seen in devtools', reviewer: 'Léa' },
    });
    expect(marks).toMatchObject({ [finding.id]: { status: 'confirmed', note: 'seen in devtools', reviewer: 'Léa' } });
    // A fresh report of the ended audit, by id, carries the mark.
    const byId = (await ask({ type: 'get-audit-report', auditId: meta.auditId })) as AuditReport;
    expect(byId.reviews).toEqual(marks);
    expect(byId.findings.map((f) => f.id)).toEqual(live.findings.map((f) => f.id));
    expect(((await ask({ type: 'list-history' })) as Array<{ reviewed: number }>)[0]!.reviewed).toBe(1);

    await ask({ type: 'delete-audit', auditId: meta.auditId });
    expect(await ask({ type: 'list-history' })).toEqual([]);
    expect(await fakeBrowser.storage.local.get(reviewKey(meta.auditId))).toEqual({});
    await expect(ask({ type: 'get-audit-report', auditId: meta.auditId })).rejects.toThrow(/not-under-audit/);
    await expect(
      ask({ type: 'set-review', auditId: meta.auditId, findingId: 'x', mark: { status: 'confirmed' } }),
    ).rejects.toThrow(/not-under-audit/);
  });

  it('refuses a malformed mark', async () => {
    const { ask } = await setup();
    await expect(ask({ type: 'set-review', auditId: 'a', findingId: 'f', mark: { status: 'maybe' } })).rejects.toThrow(
      /bad-request/,
    );
  });
});
