import { describe, expect, it } from 'vitest';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import { parseFilterList } from '../../lib/knowledge/filter-list';
import { parseOpenCookieDatabase } from '../../lib/knowledge/import-ocd';
import { createLayeredClassifier } from '../../lib/knowledge/layered';

const LIST = [
  '[Adblock Plus 2.0]',
  '! Title: Fixture privacy list',
  '||stats.example-tracker.net^',
  '||pixel.shop-metrics.io^$third-party',
  '/collect/beacon.gif$image',
  '@@||stats.example-tracker.net/opt-out.js',
  'example.org##.cookie-banner',
  '||void.example^$method=POST',
  '',
].join('\n');

describe('parseFilterList', () => {
  const parsed = parseFilterList(LIST, 'fixture.txt');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const list = parsed.classifier;

  it('counts what it read and names the title', () => {
    expect(parsed.title).toBe('Fixture privacy list');
    expect(parsed.stats).toEqual({ lines: 9, networkFilters: 4, exceptions: 1, cosmeticIgnored: 1, unsupported: 1 });
    expect(parsed.warnings).toEqual([
      { line: 8, message: expect.stringMatching(/not supported by the matcher, skipped: \|\|void.example/) },
    ]);
  });

  it('classifies a blocked request as a tracker, with the rule text and its line', () => {
    expect(
      list.classifyUrl('https://stats.example-tracker.net/t.js', {
        type: 'script',
        sourceUrl: 'https://www.example.fr/',
      }),
    ).toEqual({
      vendorId: 'example-tracker.net',
      vendorName: 'example-tracker.net',
      entity: 'unknown (example-tracker.net, listed by fixture.txt)',
      category: 'audience-measurement',
      needsConsent: true,
      source: 'filter-list',
      matchedBy: '||stats.example-tracker.net^',
      sourceName: 'fixture.txt line 3',
    });
  });

  it('honours exceptions, request types, $third-party and the page itself', () => {
    const page = { sourceUrl: 'https://www.example.fr/' };
    expect(
      list.classifyUrl('https://stats.example-tracker.net/opt-out.js', { ...page, type: 'script' }),
    ).toBeUndefined();
    expect(list.classifyUrl('https://cdn.example.fr/collect/beacon.gif', { ...page, type: 'image' })?.matchedBy).toBe(
      '/collect/beacon.gif$image',
    );
    expect(list.classifyUrl('https://cdn.example.fr/collect/beacon.gif', { ...page, type: 'script' })).toBeUndefined();
    expect(list.classifyUrl('https://pixel.shop-metrics.io/p', { ...page, type: 'image' })?.matchedBy).toBe(
      '||pixel.shop-metrics.io^$third-party',
    );
    expect(
      list.classifyUrl('https://pixel.shop-metrics.io/p', { sourceUrl: 'https://shop-metrics.io/', type: 'image' }),
    ).toBeUndefined();
    expect(list.classifyUrl('https://stats.example-tracker.net/', { type: 'main_frame' })).toBeUndefined();
    expect(list.classifyUrl('not a url')).toBeUndefined();
    expect(list.classifyCookie('_ga', '.example.fr')).toBeUndefined();
  });

  it('takes the category a list is imported as', () => {
    const ads = parseFilterList('||ads.example-adnet.com^\n', { name: 'ads.txt', category: 'advertising' });
    expect(ads.ok && ads.classifier.classifyUrl('https://ads.example-adnet.com/x', { type: 'script' })).toMatchObject({
      category: 'advertising',
      needsConsent: true,
    });
  });
});

describe('a file that is not a filter list is refused with its lines', () => {
  it.each([
    ['HTML', '<!doctype html>\n<html><body>404</body></html>\n', [1, 2], /looks like HTML or JSON/],
    ['JSON', '{\n  "formatVersion": 2,\n  "id": "x"\n}\n', [1, 2, 3], /looks like HTML or JSON|no spaces/],
    ['a hosts file', '# hosts\n0.0.0.0 tracker.example\n127.0.0.1 ads.example\n', [1, 2, 3], /no spaces/],
    ['a CSV', 'ID,Platform,Category\n1,Google Analytics,Analytics\n', [1, 2], /no spaces|CSV row/],
  ])('%s', (_kind, text, lines, message) => {
    const result = parseFilterList(text, 'bad.txt');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual(lines);
    for (const e of result.errors) expect(e.message).toMatch(message);
  });

  it('a list of comments or exceptions only', () => {
    for (const text of ['! nothing here\n', '', '@@||example.com^\n']) {
      expect(parseFilterList(text, 'empty.txt')).toEqual({
        ok: false,
        errors: [{ line: 1, message: expect.stringMatching(/no blocking network filter found/) }],
      });
    }
  });

  it('stops listing after 20 bad lines', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i} of prose`).join('\n');
    const result = parseFilterList(text, 'prose.txt');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toHaveLength(21);
  });
});

describe('createLayeredClassifier', () => {
  const ocd = parseOpenCookieDatabase(
    'ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n' +
      'r1,Google Analytics,Marketing,_ga,,d,2 years,Google,,0\nr2,Fixture CMS,Functional,fixture_cms_lang,,d,1 year,Fixture,,0\n',
  );
  if (!ocd.ok) throw new Error('fixture OCD');
  const list = parseFilterList('||google-analytics.com^\n||stats.example-tracker.net^\n', 'list.txt');
  if (!list.ok) throw new Error('fixture list');
  const layered = createLayeredClassifier([
    createClassifier(builtinKnowledge),
    createClassifier(ocd.kb, 'open-cookie-database', 'ocd.csv'),
    list.classifier,
  ]);

  it('asks the built-in base first, then the OCD, then filter lists, and says which answered', () => {
    expect(layered.classifyCookie('_ga', '.example.fr')).toMatchObject({
      source: 'builtin-kb',
      category: 'audience-measurement',
    });
    expect(layered.classifyCookie('fixture_cms_lang', 'www.example.fr')).toMatchObject({
      source: 'open-cookie-database',
      sourceName: 'ocd.csv',
    });
    expect(layered.classifyUrl('https://www.google-analytics.com/g/collect', { type: 'ping' })).toMatchObject({
      source: 'builtin-kb',
      vendorId: 'google-analytics',
    });
    expect(layered.classifyUrl('https://stats.example-tracker.net/t.js', { type: 'script' })).toMatchObject({
      source: 'filter-list',
      matchedBy: '||stats.example-tracker.net^',
    });
    expect(layered.classifyCookie('nobody_knows', 'www.example.fr')).toBeUndefined();
    expect(layered.vendor('google-analytics')?.name).toBe('Google Analytics');
  });
});
