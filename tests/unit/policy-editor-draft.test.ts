/** The policy editor's draft (components/policy-editor/draft.ts): what it writes is a policy the parser accepts. */
import { describe, expect, it } from 'vitest';
import { clause, emptyDraft, lifetime, policyOf, policyText } from '../../components/policy-editor/draft';
import { parsePolicy } from '../../lib/policy/load';

const said = (quote: string) => ({ section: '4', quote });

function filled() {
  const d = emptyDraft('shop.test', '2026-12-01');
  d.controller = { name: 'Shop SAS', clause: said('Shop SAS est responsable du traitement') };
  d.recipients.push({ name: 'Hébergeur', kind: 'processor', domains: 'host.test', clause: said('nos sous-traitants') });
  d.categories.push({
    category: 'audience-measurement',
    purpose: 'mesure d’audience',
    lifetime: { months: '13', days: '' },
    clause: said('des cookies de mesure d’audience'),
  });
  d.maxLifetime = { months: '13', days: '', clause: said('13 mois au maximum') };
  d.cookies.push({
    name: 'sid',
    category: 'strictly-necessary',
    session: true,
    lifetime: lifetime(),
    clause: said('sid'),
  });
  d.exemptions.push({ kind: 'consent-storage', pattern: '', reason: 'le choix du visiteur', clause: clause() });
  return d;
}

describe('the policy editor draft', () => {
  it('writes a policy file that the parser and schema accept, with what the form said', () => {
    const parsed = parsePolicy(policyText(filled()));
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    if (!parsed.ok) return;
    expect(parsed.policy).toMatchObject({
      id: 'shop.test',
      sites: ['shop.test'],
      version: '2026-12-01',
      controller: { name: 'Shop SAS', refs: [said('Shop SAS est responsable du traitement')] },
      recipients: [{ name: 'Hébergeur', kind: 'processor', domains: ['host.test'] }],
      categories: [{ category: 'audience-measurement', maxLifetime: { months: 13 } }],
      maxCookieLifetime: { months: 13 },
      cookies: [{ name: 'sid', session: true }],
      exemptions: [{ kind: 'consent-storage', refs: [] }],
    });
  });

  it('leaves a missing clause out, so the schema names the item that lacks one', () => {
    const d = filled();
    d.categories[0]!.clause = clause();
    expect(policyOf(d).categories[0]!.refs).toEqual([]);
    const parsed = parsePolicy(policyText(d));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.map((e) => e.path)).toContain('/categories/0/refs');
  });
});
