/**
 * Classifies the real Open Cookie Database and EasyPrivacy (../shared/data) with the import parsers
 * and the built-in base, and prints how much each source covers. A fresh clone has no ../shared:
 * the tests then skip, and say why.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATEGORY_NEEDS_CONSENT } from '../../lib/categories';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import { parseFilterList } from '../../lib/knowledge/filter-list';
import { parseOpenCookieDatabase } from '../../lib/knowledge/import-ocd';
import { createLayeredClassifier } from '../../lib/knowledge/layered';

const SHARED = join(__dirname, '../../../shared/data');
const OCD = join(SHARED, 'open-cookie-database/open-cookie-database.csv');
const LIST = join(SHARED, 'easyprivacy/easyprivacy.txt');
const builtin = createClassifier(builtinKnowledge);
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;

if (!existsSync(OCD) || !existsSync(LIST))
  console.log(`shared-data coverage: ${SHARED} is absent (a fresh clone): skipped`);

describe.skipIf(!existsSync(OCD))('the real Open Cookie Database (skipped without ../shared/data)', () => {
  it('imports whole and classifies every entry, naming itself after the built-in base', () => {
    const parsed = parseOpenCookieDatabase(readFileSync(OCD, 'utf8'), 'open-cookie-database.csv');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const ocd = createClassifier(parsed.kb, 'open-cookie-database', 'open-cookie-database.csv');
    const layered = createLayeredClassifier([builtin, ocd]);
    const names = parsed.kb.vendors.flatMap((v) => (v.cookies ?? []).map((p) => p.pattern));
    let byBuiltin = 0;
    let byImport = 0;
    for (const name of names) {
      const c = layered.classifyCookie(name, 'www.example.fr') ?? layered.classifyStorageKey(name, 'www.example.fr');
      if (c?.source === 'builtin-kb') byBuiltin++;
      else if (c?.source === 'open-cookie-database') byImport++;
    }
    console.log(
      `Open Cookie Database: ${parsed.stats.rows} rows, ${parsed.stats.vendors} platforms, ${parsed.warnings.length} warning(s); ` +
        `on a neutral site the built-in base classifies ${byBuiltin} (${pct(byBuiltin, names.length)}), the import the other ${byImport}`,
    );
    // Every non-blank line after the header is one row (no quoted field of the file spans lines).
    const rows = readFileSync(OCD, 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l.trim()).length;
    expect(parsed.stats.rows).toBe(rows);
    expect(byBuiltin + byImport).toBe(names.length);
    expect(layered.classifyCookie('_ga', 'www.example.fr')?.source).toBe('builtin-kb');
  });
});

describe.skipIf(!existsSync(LIST))('the real EasyPrivacy list (skipped without ../shared/data)', () => {
  const parsed = existsSync(LIST) ? parseFilterList(readFileSync(LIST, 'utf8'), 'easyprivacy.txt') : undefined;

  it('imports with its title and counts, skipping only what the matcher does not support', () => {
    if (!parsed?.ok) throw new Error(JSON.stringify(parsed && !parsed.ok ? parsed.errors : 'absent'));
    console.log(
      `EasyPrivacy: ${parsed.stats.networkFilters} network filters (${parsed.stats.exceptions} exceptions), ${parsed.stats.unsupported} unsupported, ${parsed.stats.cosmeticIgnored} cosmetic ignored`,
    );
    expect(parsed.title).toBe('EasyPrivacy');
    // The ground truth: the list's rules whose options the matcher (@ghostery/adblocker) refuses.
    const refused = readFileSync(LIST, 'utf8')
      .split(/\r?\n/)
      .map((l, i) => ({ line: i + 1, text: l.trim() }))
      .filter(({ text }) => !text.startsWith('!') && /\$(?:.*,)?(?:rewrite=|method=|redirect-rule\b)/.test(text));
    expect(parsed.stats.unsupported).toBe(refused.length);
    // Every other rule line is a network filter, but element-hiding rules (##, #@#, #?#).
    const rules = readFileSync(LIST, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('!') && !/^\[Adblock/i.test(l));
    const cosmetic = rules.filter((l) => /#[@?]?#/.test(l)).length;
    expect(parsed.stats.cosmeticIgnored).toBe(cosmetic);
    expect(parsed.stats.networkFilters).toBe(rules.length - cosmetic - refused.length);
    expect(parsed.warnings.map((w) => w.line)).toEqual(refused.map((r) => r.line));
  });

  it('agrees with the built-in base on the hosts of its consent-requiring trackers, and adds domains it lacks', () => {
    if (!parsed?.ok) throw new Error('EasyPrivacy did not parse');
    const page = { sourceUrl: 'https://www.example.fr/' };
    const hosts = builtinKnowledge.vendors.flatMap((v) =>
      v.hosts
        .filter((h) => !h.pathPrefix && (v.needsConsent ?? CATEGORY_NEEDS_CONSENT[v.category]))
        .map((h) => ({ vendor: v.id, category: v.category, host: h.host })),
    );
    // A tracker host is "listed" when EasyPrivacy blocks its script or a beacon to it.
    const listed = hosts.filter(({ host }) =>
      ['script', 'image', 'xmlhttprequest'].some(
        (type) =>
          parsed.classifier.classifyUrl(`https://${host}/`, { ...page, type }) ??
          parsed.classifier.classifyUrl(`https://${host}/collect`, { ...page, type }),
      ),
    );
    // EasyPrivacy domain rules (||domain^) that the built-in base does not know.
    const ruleDomains = [
      ...readFileSync(LIST, 'utf8').matchAll(/^\|\|([a-z0-9.-]+\.[a-z]{2,})\^(\$third-party)?$/gm),
    ].map((m) => m[1]!);
    const known = ruleDomains.filter((d) => builtin.classifyUrl(`https://${d}/`, { type: 'script' }));
    // Node 20 has no Object.groupBy.
    const byCategory = (list: typeof hosts) => {
      const groups: Record<string, typeof hosts> = {};
      for (const h of list) (groups[h.category] ??= []).push(h);
      return groups;
    };
    const all = byCategory(hosts);
    const hit = byCategory(listed);
    const lines = Object.entries(all).map(([c, l]) => `${c} ${hit[c]?.length ?? 0}/${l!.length}`);
    console.log(
      `EasyPrivacy vs built-in: ${listed.length}/${hosts.length} hosts of built-in vendors that need consent are listed (${pct(listed.length, hosts.length)}: ${lines.join(', ')}); ` +
        `${known.length}/${ruleDomains.length} of its domain rules are built-in vendors (${pct(known.length, ruleDomains.length)}), the rest are classified only through the import`,
    );
    // EasyPrivacy lists analytics and tracking pixels, not ad networks, chats or embeds (EasyList's and others' job).
    const measurement = [...(all['audience-measurement'] ?? []), ...(all['session-recording'] ?? [])];
    const measured = [...(hit['audience-measurement'] ?? []), ...(hit['session-recording'] ?? [])];
    // The ground truth: every such host under one of the list's plain domain rules must be classified by it.
    const ruled = new Set(ruleDomains);
    const parents = (host: string) => host.split('.').map((_, i, parts) => parts.slice(i).join('.'));
    const mustList = measurement.filter((h) => parents(h.host).some((d) => ruled.has(d))).map((h) => h.host);
    expect(mustList.length).toBeGreaterThan(0);
    expect(measured.map((h) => h.host)).toEqual(expect.arrayContaining(mustList));
    const layered = createLayeredClassifier([builtin, parsed.classifier]);
    const unknown = ruleDomains.find((d) => !builtin.classifyUrl(`https://${d}/`, { type: 'script' }))!;
    expect(layered.classifyUrl(`https://${unknown}/t.js`, { ...page, type: 'script' })).toMatchObject({
      source: 'filter-list',
      sourceName: expect.stringMatching(/^easyprivacy\.txt line \d+$/),
    });
  });
});
