import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handleImportMessage } from '../../entrypoints/background/import-handler';
import { parseFilterList } from '../../lib/knowledge/filter-list';
import { parseOpenCookieDatabase } from '../../lib/knowledge/import-ocd';
import { parsePolicy } from '../../lib/policy/load';
import { createSourceRegistry, type Parsers } from '../../lib/sources/registry';
import { IMPORT_KEYS } from '../../lib/sources/stored';

const root = join(__dirname, '../..');
const o2toit = readFileSync(join(root, 'policies/o2toit.com.json'), 'utf8');
const boutique = readFileSync(join(root, 'policies/example-boutique.fr.json'), 'utf8');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const OCD = [
  'ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match',
  'f-1,Fixture CMS,Functional,fixture_cms_lang,,"Language, kept",1 year,Fixture SAS,,0',
].join('\n');

const stored = (text: string, name: string) => ({
  id: JSON.parse(text).id as string,
  name,
  text,
  importedAt: '2026-01-01T00:00:00.000Z',
  sha256: sha(text),
});

/** A registry over fakeBrowser's storage.local, following its changes, with parsers that count calls. */
function registry() {
  const calls = { policy: 0, ocd: 0, filters: 0 };
  const parsers: Parsers = {
    policy: (text) => (calls.policy++, parsePolicy(text)),
    ocd: (text, name) => (calls.ocd++, parseOpenCookieDatabase(text, name)),
    filters: (text, options) => (calls.filters++, parseFilterList(text, options)),
  };
  const storage = fakeBrowser.storage.local;
  const onPoliciesChanged = vi.fn(async () => undefined);
  const sources = createSourceRegistry({ storage, parsers, onPoliciesChanged });
  fakeBrowser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local') void sources.follow(changes);
  });
  const send = (message: Parameters<typeof handleImportMessage>[0]) => handleImportMessage(message, sources, storage);
  return { sources, calls, send, storage, onPoliciesChanged };
}

describe('the source registry', () => {
  beforeEach(() => fakeBrowser.reset());

  it('covers the built-in sites, each policy carrying the sha256 of its exact text', async () => {
    const { sources } = registry();
    await sources.ready;
    expect(sources.policyFor('o2toit.com')).toMatchObject({ origin: 'builtin', sha256: sha(o2toit) });
    expect(sources.policyFor('www.o2toit.com')).toBeUndefined(); // sites are registrable domains
    expect(sources.policyFor('example-boutique.fr')).toBeUndefined();
    expect(sources.isPolicySite('o2toit.com')).toBe(true);
    expect(sources.isPolicySite('example.com')).toBe(false);
  });

  it('adds imported policies and lets an import of the same id override the built-in one', async () => {
    const override = JSON.stringify({ ...JSON.parse(o2toit), version: '2030-01-01' });
    await fakeBrowser.storage.local.set({
      [IMPORT_KEYS.policies]: [stored(boutique, 'boutique.json'), stored(override, 'o2.json')],
    });
    const { sources } = registry();
    await sources.ready;
    expect(sources.policyFor('example-boutique.fr')).toMatchObject({ origin: 'imported', sha256: sha(boutique) });
    expect(sources.policyFor('o2toit.com')).toMatchObject({
      origin: 'imported',
      sha256: sha(override),
      policy: { id: 'o2toit.com', version: '2030-01-01' },
    });
    expect(sources.policies().map((p) => p.policy.id)).toEqual(['example-boutique.fr', 'o2toit.com']);
    expect(sources.isBuiltinPolicy('o2toit.com')).toBe(true);
    expect(sources.listing().policies.find((p) => p.id === 'o2toit.com')).toMatchObject({
      overridesBuiltin: true,
      source: 'o2.json',
      sha256: sha(override),
    });
  });

  it('parses each imported file once: the import, its application and the storage echo share one parse', async () => {
    const { sources, calls, send, onPoliciesChanged } = registry();
    await sources.ready;
    expect(await send({ type: 'import-policy', text: boutique, source: 'b.json' })).toMatchObject({ ok: true });
    expect(await send({ type: 'import-knowledge', kind: 'ocd', text: OCD, source: 'ocd.csv' })).toMatchObject({
      ok: true,
    });
    expect(
      await send({ type: 'import-knowledge', kind: 'filters', text: '||stats.tracker.example^\n', source: 'f.txt' }),
    ).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(onPoliciesChanged.mock.calls.length).toBeGreaterThanOrEqual(6)); // applies and echoes
    expect(sources.policyFor('example-boutique.fr')?.origin).toBe('imported');
    expect(sources.knowledge.classifyCookie('fixture_cms_lang', 'x.fr')?.source).toBe('open-cookie-database');
    expect(sources.knowledge.classifyUrl('https://stats.tracker.example/a.js', { type: 'script' })?.source).toBe(
      'filter-list',
    );
    expect(calls).toEqual({ policy: 1, ocd: 1, filters: 1 });

    // A new worker parses what it reads back, once, and the knowledge only when first asked.
    const next = registry();
    await next.sources.ready;
    expect(next.calls).toEqual({ policy: 1, ocd: 0, filters: 0 });
    next.sources.knowledge.classifyCookie('fixture_cms_lang', 'x.fr');
    next.sources.knowledge.classifyCookie('fixture_cms_lang', 'x.fr');
    expect(next.calls).toEqual({ policy: 1, ocd: 1, filters: 1 });
  });

  it('keeps a parse for its import even when a late storage echo changes the state in between', async () => {
    const { sources, calls } = registry();
    await sources.ready;
    const sha256 = sha(OCD);
    expect(sources.parseOcd(OCD, 'ocd.csv', sha256)).toMatchObject({ ok: true });
    await sources.follow({ [IMPORT_KEYS.filters]: { newValue: [] } }); // an earlier write's echo, arriving late
    const ocd = { id: 'ocd.csv', name: 'ocd.csv', text: OCD, importedAt: '', sha256, rows: 1, vendors: 1, warnings: 0 };
    await sources.apply({ ...sources.stored(), ocd });
    expect(sources.knowledge.classifyCookie('fixture_cms_lang', 'x.fr')?.source).toBe('open-cookie-database');
    expect(calls.ocd).toBe(1);
  });

  it('keeps the previous data when an import is malformed', async () => {
    const { sources, send } = registry();
    await sources.ready;
    await send({ type: 'import-policy', text: boutique, source: 'b.json' });
    await send({ type: 'import-knowledge', kind: 'ocd', text: OCD, source: 'ocd.csv' });
    const before = { policy: sources.policyFor('example-boutique.fr'), listing: sources.listing() };
    const broken = JSON.stringify({ ...JSON.parse(boutique), version: 7 });
    expect(await send({ type: 'import-policy', text: broken, source: 'bad.json' })).toMatchObject({ ok: false });
    expect(
      await send({
        type: 'import-knowledge',
        kind: 'ocd',
        text: `${OCD}\nf-2,X,Tracking,x,,d,1 day,X,,0`,
        source: 'x',
      }),
    ).toMatchObject({ ok: false });
    expect(sources.policyFor('example-boutique.fr')).toBe(before.policy);
    expect(sources.listing()).toEqual(before.listing);
    expect(sources.knowledge.classifyCookie('fixture_cms_lang', 'x.fr')?.sourceName).toMatch(/^ocd\.csv/);
  });

  it('refuses a site that another policy already covers, naming that policy', async () => {
    const { sources } = registry();
    await sources.ready;
    const other = { ...JSON.parse(boutique), id: 'other', sites: ['example-boutique.fr', 'o2toit.com'] };
    expect(sources.siteConflict(other)).toMatchObject({ index: 1, site: 'o2toit.com', owner: { origin: 'builtin' } });
    expect(sources.siteConflict({ ...other, id: 'o2toit.com' })).toBeUndefined();
  });
});
