/**
 * The built-in knowledge base against the Open Cookie Database: for the OCD platforms that are one
 * of our vendors (tests/unit/data/ocd-platform-aliases.json), at least 95% of their cookies must be
 * classified, into a consistent category (tests/unit/data/ocd-category-equivalences.json explains
 * what "consistent" means). Reads ../shared/data; skips with a message where it is absent.
 * `KB_OCD_VERBOSE=1` lists every miss.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDomain } from 'tldts';
import { builtinKnowledge, createClassifier, needsConsent } from '../../lib/knowledge/classify';
import { parseCsv } from '../../lib/knowledge/csv';
import aliases from './data/ocd-platform-aliases.json';
import equivalences from './data/ocd-category-equivalences.json';

const OCD = join(__dirname, '../../../shared/data/open-cookie-database/open-cookie-database.csv');
const accepted = equivalences.accepted as Record<string, string[]>;
const noConsent = new Set(equivalences.noConsentInOcd);
const kb = createClassifier(builtinKnowledge);

const consentChoice = new RegExp(equivalences.consentChoiceNames, 'i');

/**
 * Consistent: same family; or stricter, giving the cookie the consent-requiring purpose of the
 * vendor that sets it; or consent storage for a cookie whose name says it stores a choice.
 */
function consistent(ocdCategory: string, name: string, c: { category: string; vendorId: string }): boolean {
  if (accepted[ocdCategory]?.includes(c.category)) return true;
  if (c.category === 'consent-management' && consentChoice.test(name)) return true;
  const vendor = kb.vendor(c.vendorId);
  return !!vendor && noConsent.has(ocdCategory) && c.category === vendor.category && needsConsent(vendor);
}

/**
 * Where the cookie may live: the first domain the OCD Domain column names ("bing.com (3rd party) or
 * .microsoft.com"). When it names none, the cookie is set either by the site itself (a neutral
 * first-party site stands for it) or on one of the vendor's own hosts: both are tried.
 */
function cookieDomains(raw: string, vendorIds: readonly string[]): string[] {
  const found = raw.toLowerCase().match(/[a-z0-9][a-z0-9.-]*\.[a-z]{2,}/)?.[0];
  if (found) return [getDomain(found) ?? found];
  const own = vendorIds.flatMap(
    (id) =>
      kb
        .vendor(id)
        ?.hosts.filter((h) => !h.pathPrefix)
        .map((h) => h.host) ?? [],
  );
  return ['www.example.fr', ...own];
}

describe.skipIf(!existsSync(OCD))(
  'built-in knowledge base vs the Open Cookie Database (skipped without ../shared/data)',
  () => {
    it('maps only to vendors that exist', () => {
      const unknown = Object.values(aliases as Record<string, string[]>)
        .flat()
        .filter((id) => !kb.vendor(id));
      expect(unknown).toEqual([]);
    });

    it('classifies at least 95% of the OCD cookies of its vendors, into a consistent category', () => {
      const csv = parseCsv(readFileSync(OCD, 'utf8'));
      if (!csv.ok) throw new Error(JSON.stringify(csv.errors));
      const [header, ...rows] = csv.records;
      const col = (name: string) => header!.fields.indexOf(name);
      const [platformAt, categoryAt, nameAt, domainAt] = [
        'Platform',
        'Category',
        'Cookie / Data Key name',
        'Domain',
      ].map(col);
      let total = 0;
      const misses: string[] = [];
      for (const { fields, line } of rows) {
        const platform = fields[platformAt!]!.trim();
        const vendors = (aliases as Record<string, string[]>)[platform];
        if (!vendors) continue;
        total++;
        const name = fields[nameAt!]!.trim();
        const category = fields[categoryAt!]!.trim();
        const domains = cookieDomains(fields[domainAt!]!, vendors);
        // OCD does not say whether a name is a cookie or a storage key: either counts.
        const found = domains
          .map((d) => kb.classifyCookie(name, d) ?? kb.classifyStorageKey(name, d))
          .filter((c) => !!c);
        if (!found.some((c) => consistent(category, name, c))) {
          const c = found[0];
          misses.push(
            `line ${line} ${platform} ${category} ${name} @${domains[0]} -> ${c ? `${c.vendorId} ${c.category}` : 'unclassified'}`,
          );
        }
      }
      const rate = (total - misses.length) / total;
      console.log(
        `built-in KB vs OCD: ${total - misses.length}/${total} cookies of ${Object.keys(aliases).length} mapped platforms classified consistently (${(rate * 100).toFixed(1)}%), ${misses.length} misses`,
      );
      if (process.env.KB_OCD_VERBOSE) console.log(misses.join('\n'));
      expect(total).toBeGreaterThan(1000);
      expect(rate).toBeGreaterThanOrEqual(0.95);
    });
  },
);
