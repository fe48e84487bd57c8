import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/knowledge/csv';
import { createClassifier } from '../../lib/knowledge/classify';
import { parseOpenCookieDatabase, retentionDays } from '../../lib/knowledge/import-ocd';

const HEADER =
  'ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and a BOM', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, ""y""",3\r\n\r\n2,"multi\nline",\n';
    const result = parseCsv(text);
    expect(result).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['1', 'x, "y"', '3'] },
        { line: 4, fields: ['2', 'multi\nline', ''] },
      ],
    });
  });

  it('locates an unterminated quote at the line it opens', () => {
    expect(parseCsv('a,b\n1,2\n3,"never closed\n4,5\n')).toEqual({
      ok: false,
      errors: [{ line: 3, message: 'a quoted field (field 2) is never closed' }],
    });
  });

  it('refuses a stray quote or text after a closing quote', () => {
    expect(parseCsv('a,b\n1,ab"c\n')).toMatchObject({
      ok: false,
      errors: [{ line: 2, message: expect.stringMatching(/quote inside unquoted field 2/) }],
    });
    expect(parseCsv('a,b\n1,"ab"c\n')).toMatchObject({
      ok: false,
      errors: [{ line: 2, message: expect.stringMatching(/after the closing quote of field 2/) }],
    });
  });
});

describe('parseOpenCookieDatabase', () => {
  const rows = [
    'id-1,Google Analytics,Analytics,_ga,google-analytics.com,"ID used to identify users, and sessions",2 years,Google,https://policies.google.com/privacy,0',
    'id-2,Google Analytics,Analytics,_ga_,,"Used by ""GA4""",2 years,Google,,1',
    'id-3,Hotjar,Analytics,_hjSession_,,Session data,30 minutes,Hotjar,,1',
    'id-4,Shopify,Functional,cart,,"Cart\ncontents",2 weeks,Shopify,,0',
    'id-5,,Security,XSRF-TOKEN,,CSRF,Session,,,0',
  ];

  it('maps platforms to vendors and categories to ours, keeping the row in each match', () => {
    const result = parseOpenCookieDatabase([HEADER, ...rows].join('\n'), 'ocd.csv');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.stats).toEqual({ rows: 5, vendors: 4, prefixes: 2 });
    expect(result.warnings).toEqual([{ line: 7, field: 'Platform', message: expect.stringMatching(/no platform/) }]);
    const ocd = createClassifier(result.kb, 'open-cookie-database', 'ocd.csv');
    expect(ocd.classifyCookie('_ga', '.example.fr')).toMatchObject({
      vendorName: 'Google Analytics',
      entity: 'Google',
      category: 'audience-measurement',
      needsConsent: true,
      source: 'open-cookie-database',
      sourceName: 'ocd.csv',
      matchedBy: 'cookie _ga (exact), ocd.csv line 2, ID id-1',
    });
    expect(ocd.classifyCookie('_ga_ABC', '.example.fr')?.matchedBy).toBe(
      'cookie _ga_ (prefix), ocd.csv line 3, ID id-2',
    );
    // The multi-line description moves the next row's line number.
    expect(ocd.classifyCookie('XSRF-TOKEN', 'www.example.fr')).toMatchObject({
      category: 'security',
      needsConsent: false,
    });
    expect(ocd.classifyCookie('XSRF-TOKEN', 'www.example.fr')?.matchedBy).toMatch(/line 7,/);
    expect(ocd.classifyStorageKey('cart')).toMatchObject({ vendorName: 'Shopify', category: 'functional' });
    expect(ocd.classifyUrl('https://google-analytics.com/collect')).toBeUndefined(); // OCD says nothing of hosts
  });

  it('names the exact line and field of a bad row, and refuses the whole file', () => {
    const bad = [
      HEADER,
      rows[0],
      'id-9,X,Tracking,x_id,,d,1 day,X,,0',
      rows[2],
      'id-10,Y,Analytics,,,d,1 day,Y,,0',
      'id-11,Z,Analytics,z,,d,1 day,Z,,maybe',
    ];
    expect(parseOpenCookieDatabase(bad.join('\n'))).toEqual({
      ok: false,
      errors: [
        {
          line: 3,
          field: 'Category',
          message: expect.stringMatching(/^unknown category "Tracking"; expected one of Functional, Necessary/),
        },
        { line: 5, field: 'Cookie / Data Key name', message: 'empty cookie or key name' },
        { line: 6, field: 'Wildcard match', message: 'must be 0 or 1, got "maybe"' },
      ],
    });
  });

  it('counts fields against the header, after quoted line breaks', () => {
    const text = [HEADER, rows[3], 'id-6,Short,Analytics,s'].join('\n');
    expect(parseOpenCookieDatabase(text)).toEqual({
      ok: false,
      errors: [{ line: 4, message: expect.stringMatching(/^4 fields, expected 10 \(ID, Platform/) }],
    });
  });

  it('refuses a file without the expected columns, or without rows', () => {
    const result = parseOpenCookieDatabase('name,category\n_ga,Analytics\n');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toEqual({ line: 1, field: 'ID', message: expect.stringMatching(/missing column "ID"/) });
    expect(parseOpenCookieDatabase(`${HEADER}\n`)).toEqual({
      ok: false,
      errors: [{ line: 1, message: 'no rows after the header' }],
    });
    expect(parseOpenCookieDatabase('')).toEqual({ ok: false, errors: [{ line: 1, message: 'the file is empty' }] });
  });

  it('reports a syntax error with its line', () => {
    expect(parseOpenCookieDatabase(`${HEADER}\n${rows[0]}\nid-7,X,Analytics,"x_id,,d\n`)).toEqual({
      ok: false,
      errors: [{ line: 3, message: 'a quoted field (field 4) is never closed' }],
    });
  });

  it.each([
    ['2 years', 730],
    ['13 months', 395.72],
    ['Session', 0],
    ['End of session (browser)', 0],
    ['30 minutes', 0.021],
    ['1 Year', 365],
    ['Unknown', undefined],
    ['forever', undefined],
  ])('retention %s is %s days', (text, days) => {
    expect(retentionDays(text)).toBe(days);
  });
});
