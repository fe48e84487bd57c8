/**
 * Where the page's detail and the browser disagree, the evidence shows both and says which was
 * judged: a page-world `max-age=3600` for a `_ga` the browser stored for 400 days.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { DeclaredPolicy } from '../../lib/policy/types';
import { audit } from '../../lib/rules/audit';
import { expandObservations } from '../vectors/run-vectors';

const policy = JSON.parse(
  readFileSync(new URL('../../policies/o2toit.com.json', import.meta.url), 'utf8'),
) as DeclaredPolicy;

describe('a page claim the browser contradicts', () => {
  it('is shown beside the stored lifetime, which is the one judged', () => {
    const observations = expandObservations([
      {
        kind: 'cookie',
        at: '2026-03-10T09:00:00.000Z',
        name: '_ga',
        domain: 'o2toit.com',
        via: 'document.cookie',
        source: 'page-hook',
        requestedExpiry: '2026-03-10T10:00:00.000Z',
      },
      {
        kind: 'cookie',
        at: '2026-03-10T09:00:00.020Z',
        name: '_ga',
        domain: 'o2toit.com',
        via: 'cookies-api',
        effectiveExpiry: '2027-04-14T09:00:00.020Z',
      },
    ]);
    const [f] = audit(observations, policy, createClassifier(builtinKnowledge), {
      rules: ['cookie-lifetime-exceeds-policy'],
    });
    expect(f?.evidence[0]).toMatchObject({
      requestedLifetimeDays: 0,
      effectiveLifetimeDays: 400,
      judged: 'effective',
      note: "the page reported asking for 0 days, but the browser stored 400 days: the browser's figure is judged",
    });
    expect(f?.detail).toContain('was stored with a lifetime of 400 days');
    expect(f?.detail).toContain("The page reported asking for 0 days; the browser's stored lifetime is judged.");
  });
});
