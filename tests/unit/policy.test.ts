import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parsePolicy, policyForSite, sha256Hex } from '../../lib/policy/load';
import policySchema from '../../lib/schema/policy.schema.json';
import { validateAgainstSchema } from '../../lib/schema/validate';

const root = join(__dirname, '../..');
const policyFiles = readdirSync(join(root, 'policies')).filter((f) => f.endsWith('.json'));
const o2toitText = readFileSync(join(root, 'policies/o2toit.com.json'), 'utf8');
const seed = join(root, '../shared/seed/o2toit-privacy-policy.fr.txt');

describe('declared policies', () => {
  it('every shipped policy parses and validates against the schema (ours and Ajv agree)', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(policySchema);
    for (const file of policyFiles) {
      const text = readFileSync(join(root, 'policies', file), 'utf8');
      const result = parsePolicy(text);
      expect(result.ok, file).toBe(true);
      expect(validate(JSON.parse(text)), `${file}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it('encodes what the o2toit.com policy declares', () => {
    const result = parsePolicy(o2toitText);
    if (!result.ok) throw new Error('o2toit policy invalid');
    const p = result.policy;
    expect(p.sites).toEqual(['o2toit.com']);
    expect(p.maxCookieLifetime).toMatchObject({ months: 13 });
    expect(p.maxCookieLifetime!.refs.map((r) => r.section)).toEqual(['IV', 'VII']);
    expect(p.recipients.map((r) => r.name)).toEqual(expect.arrayContaining(['GRD', 'POLE HABITAT', 'Google']));
    expect(p.thirdParties).toEqual([
      expect.objectContaining({ vendor: 'google-recaptcha', legalBasis: 'legitimate-interest' }),
    ]);
    expect(p.thirdParties[0]!.refs.every((r) => r.section === 'IX')).toBe(true);
    expect(p.categories.map((c) => c.category).sort()).toEqual(
      [
        'advertising',
        'audience-measurement',
        'customer-interaction',
        'embedded-content',
        'functional',
        'security',
        'social-media',
      ].sort(),
    );
    expect(p.exemptions.map((e) => e.kind)).toEqual(['session-cookies', 'consent-storage']);
  });

  it.skipIf(!existsSync(seed))('quotes every clause verbatim from the policy text (skipped without ../shared)', () => {
    const text = readFileSync(seed, 'utf8');
    const quotes: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const q = (v as { quote?: unknown }).quote;
        if (typeof q === 'string') quotes.push(q);
        Object.values(v).forEach(walk);
      }
    };
    walk(JSON.parse(o2toitText));
    expect(quotes.length).toBeGreaterThan(20);
    for (const q of quotes) expect(text, q).toContain(q);
  });

  it('reports a JSON syntax error with its line and column', () => {
    const broken = '{\n  "formatVersion": 1,\n  "id": "x",\n  oops\n}';
    const result = parsePolicy(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.path).toMatch(/^line 4, column \d+$/);
  });

  it('reports schema errors with the JSON path at fault', () => {
    const data = JSON.parse(o2toitText);
    data.categories[2].category = 'marketing';
    delete data.controller;
    data.maxCookieLifetime.months = 0;
    const result = parsePolicy(JSON.stringify(data));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/', message: 'must have property "controller"' }),
        expect.objectContaining({ path: '/categories/2/category' }),
        expect.objectContaining({ path: '/maxCookieLifetime/months', message: 'must be >= 1' }),
      ]),
    );
  });

  it('rejects non-object input and unknown properties', () => {
    expect(parsePolicy('[]')).toMatchObject({
      ok: false,
      errors: [{ path: '/', message: 'must be object, got array' }],
    });
    const data = { ...JSON.parse(o2toitText), extra: true };
    expect(parsePolicy(JSON.stringify(data))).toMatchObject({
      ok: false,
      errors: [{ path: '/extra', message: 'is not an allowed property' }],
    });
  });

  it('our validator agrees with Ajv on broken documents', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(policySchema);
    const base = JSON.parse(o2toitText);
    const broken = [
      { ...base, language: 'French' },
      { ...base, sites: [] },
      { ...base, thirdParties: [{ ...base.thirdParties[0], legalBasis: 'vibes' }] },
      { ...base, recipients: [{ name: 'X', kind: 'processor', refs: [] }] },
      { ...base, categories: [{ category: 'advertising', purpose: 'ads', refs: [{ section: '', quote: 'abc' }] }] },
      { ...base, cookies: [{ name: '_ga', category: 'analytics', refs: base.categories[0].refs }] },
      {
        ...base,
        recipients: [{ name: 'X', kind: 'processor', domains: ['Not A Domain'], refs: base.recipients[0].refs }],
      },
    ];
    for (const doc of broken) {
      expect(validate(doc)).toBe(false);
      expect(validateAgainstSchema(doc, policySchema).length).toBeGreaterThan(0);
    }
  });

  it('hashes the exact text and finds the policy of a site', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(policyForSite('o2toit.com', [{ sites: ['o2toit.com'], id: 1 }])).toMatchObject({ id: 1 });
    expect(policyForSite('example.com', [{ sites: ['o2toit.com'] }])).toBeUndefined();
  });
});
