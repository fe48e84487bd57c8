import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleImportMessage } from '../../entrypoints/background/import-handler';
import { createImports } from '../../entrypoints/background/imports';
import { IMPORT_KEYS } from '../../lib/sources/stored';
import type { ImportKnowledgeResponse, ImportPolicyResponse, ImportsListing } from '../../lib/messages';

const root = join(__dirname, '../..');
const boutique = readFileSync(join(root, 'policies/example-boutique.fr.json'), 'utf8');
const OCD = [
  'ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match',
  'f-1,Fixture CMS,Functional,fixture_cms_lang,,"Language, kept",1 year,Fixture SAS,,0',
  'f-2,Fixture Ads,Marketing,fixture_ad_,,Ad id,13 months,Fixture Ads SA,,1',
].join('\n');

function setup() {
  const storage = fakeBrowser.storage.local;
  const imports = createImports(storage);
  const send = (message: Parameters<typeof handleImportMessage>[0]) => handleImportMessage(message, imports, storage);
  return { storage, imports, send };
}

describe('imports kept in extension storage', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    // Content-script registration is the browser's business; here it only has to be callable.
    fakeBrowser.scripting.getRegisteredContentScripts = vi.fn(async () => []) as never;
    fakeBrowser.scripting.registerContentScripts = vi.fn(async () => undefined) as never;
    fakeBrowser.scripting.unregisterContentScripts = vi.fn(async () => undefined) as never;
  });

  it('imports a policy, audits its sites, and registers content scripts for them', async () => {
    const { imports, send } = setup();
    const r = (await send({
      type: 'import-policy',
      text: boutique,
      source: 'example-boutique.fr.json',
    })) as ImportPolicyResponse;
    expect(r).toEqual({ ok: true, id: 'example-boutique.fr', sites: ['example-boutique.fr'] });
    expect(imports.policies().map((p) => [p.policy.id, p.origin])).toEqual([
      ['o2toit.com', 'builtin'],
      ['example-boutique.fr', 'imported'],
    ]);
    const matches = vi
      .mocked(fakeBrowser.scripting.registerContentScripts)
      .mock.calls.at(-1)![0]!
      .flatMap((s) => s.matches ?? []);
    expect(matches).toEqual(expect.arrayContaining(['*://example-boutique.fr/*', '*://*.example-boutique.fr/*']));
  });

  it('refuses a malformed policy with the line and field at fault, keeping the previous policies', async () => {
    const { imports, send, storage } = setup();
    await send({ type: 'import-policy', text: boutique, source: 'a.json' });
    const stored = await storage.get(IMPORT_KEYS.policies);
    const broken = boutique.replace(
      '"category": "customer-interaction",\n      "purpose"',
      '"category": "chat",\n      "purpose"',
    );
    const line = broken.split('\n').findIndex((l) => l.includes('"chat"')) + 1;
    const r = (await send({ type: 'import-policy', text: broken, source: 'b.json' })) as ImportPolicyResponse;
    expect(r).toEqual({
      ok: false,
      errors: [{ path: '/categories/3/category', line, message: expect.stringMatching(/^must be one of/) }],
    });
    expect(await storage.get(IMPORT_KEYS.policies)).toEqual(stored);
    expect(imports.policies().map((p) => p.policy.id)).toEqual(['o2toit.com', 'example-boutique.fr']);
  });

  it('refuses a policy for a site another policy covers, unless it has the same id', async () => {
    const { send } = setup();
    const other = JSON.parse(boutique);
    other.id = 'boutique-bis';
    expect(
      await send({ type: 'import-policy', text: JSON.stringify({ ...other, sites: ['o2toit.com'] }) }),
    ).toMatchObject({
      ok: false,
      errors: [
        { path: '/sites/0', message: expect.stringMatching(/already covered by the builtin policy "o2toit.com"/) },
      ],
    });
    const o2 = JSON.parse(readFileSync(join(root, 'policies/o2toit.com.json'), 'utf8'));
    o2.version = '2027-01-01';
    o2.formatVersion = 1;
    for (const r of o2.recipients) delete r.vendors;
    expect(await send({ type: 'import-policy', text: JSON.stringify(o2), source: 'o2.json' })).toMatchObject({
      ok: true,
      replaced: 'builtin',
      migratedFrom: 1,
    });
  });

  it('imports the Open Cookie Database and names it as the source of what it classifies', async () => {
    const { imports, send } = setup();
    const r = (await send({
      type: 'import-knowledge',
      kind: 'ocd',
      text: OCD,
      source: 'ocd.csv',
    })) as ImportKnowledgeResponse;
    expect(r).toMatchObject({ ok: true, entries: 2, replaced: false });
    expect(imports.knowledge.classifyCookie('fixture_ad_123', 'example.fr')).toMatchObject({
      source: 'open-cookie-database',
      sourceName: 'ocd.csv',
      category: 'advertising',
      matchedBy: 'cookie fixture_ad_ (prefix), ocd.csv line 3, ID f-2',
    });
    expect(imports.knowledge.classifyCookie('_ga', 'example.fr')?.source).toBe('builtin-kb');
    expect(imports.knowledgeInfo.imports).toEqual([
      expect.objectContaining({ source: 'open-cookie-database', name: 'ocd.csv', entries: 2 }),
    ]);
  });

  it('refuses a malformed CSV with its line and column, and keeps the previous import', async () => {
    const { imports, send } = setup();
    await send({ type: 'import-knowledge', kind: 'ocd', text: OCD, source: 'ocd.csv' });
    const bad = `${OCD}\nf-3,Fixture,Tracking,x,,d,1 day,X,,0\n`;
    expect(await send({ type: 'import-knowledge', kind: 'ocd', text: bad, source: 'bad.csv' })).toEqual({
      ok: false,
      errors: [{ line: 4, field: 'Category', message: expect.stringMatching(/unknown category "Tracking"/) }],
    });
    expect(imports.listing().ocd).toMatchObject({ name: 'ocd.csv', rows: 2 });
    expect(imports.knowledge.classifyCookie('fixture_cms_lang', 'example.fr')?.sourceName).toBe('ocd.csv');
  });

  it('imports filter lists, refuses a bad one with its lines, and removes them', async () => {
    const { imports, send } = setup();
    const ok = await send({
      type: 'import-knowledge',
      kind: 'filters',
      text: '||stats.example-tracker.net^\n',
      source: 'mine.txt',
      category: 'advertising',
    });
    expect(ok).toMatchObject({ ok: true, entries: 1 });
    const bad = await send({
      type: 'import-knowledge',
      kind: 'filters',
      text: '<html>\n<body>oops</body>\n',
      source: 'page.html',
    });
    expect(bad).toMatchObject({ ok: false, errors: [{ line: 1 }, { line: 2 }] });
    expect(imports.knowledge.classifyUrl('https://stats.example-tracker.net/a.js', { type: 'script' })).toMatchObject({
      source: 'filter-list',
      category: 'advertising',
      matchedBy: '||stats.example-tracker.net^',
    });
    expect(await send({ type: 'remove-import', kind: 'filters', id: 'mine.txt' })).toEqual({ ok: true });
    expect(imports.knowledge.classifyUrl('https://stats.example-tracker.net/a.js', { type: 'script' })).toBeUndefined();
    expect(await send({ type: 'remove-import', kind: 'policy', id: 'o2toit.com' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/built-in/),
    });
  });

  it('reloads imports from storage in a new worker', async () => {
    const first = setup();
    await first.send({ type: 'import-policy', text: boutique, source: 'b.json' });
    await first.send({ type: 'import-knowledge', kind: 'ocd', text: OCD, source: 'ocd.csv' });
    const second = setup();
    await second.imports.ready;
    const listing = (await second.send({ type: 'list-imports' })) as ImportsListing;
    expect(listing.policies.map((p) => [p.id, p.origin, p.source ?? null])).toEqual([
      ['o2toit.com', 'builtin', null],
      ['example-boutique.fr', 'imported', 'b.json'],
    ]);
    expect(listing.policies[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(listing.ocd).toMatchObject({ name: 'ocd.csv', rows: 2, vendors: 2 });
    expect(second.imports.knowledge.classifyCookie('fixture_cms_lang', 'x.fr')?.source).toBe('open-cookie-database');
  });

  it('keeps the previous data when the browser refuses to store an import', async () => {
    const { imports, send, storage } = setup();
    await send({ type: 'import-policy', text: boutique, source: 'b.json' });
    const spy = vi.spyOn(storage, 'set').mockRejectedValueOnce(new Error('QUOTA_BYTES quota exceeded'));
    const r = await send({ type: 'import-knowledge', kind: 'ocd', text: OCD, source: 'ocd.csv' });
    expect(r).toEqual({
      ok: false,
      errors: [{ line: 1, message: expect.stringMatching(/could not store the import, nothing was changed: QUOTA/) }],
    });
    expect(imports.listing().ocd).toBeUndefined();
    spy.mockRestore();
  });
});
