import type { Category } from '@/lib/categories';
import type { Classification } from '@/lib/knowledge/types';
import type {
  DeclaredExemption,
  DeclaredLifetime,
  DeclaredPolicy,
  DeclaredRecipient,
  DeclaredThirdParty,
  PolicyRef,
} from '@/lib/policy/types';
import { POLICY_FORMAT_VERSION } from '@/lib/policy/types';
import type { AuditReport } from '@/lib/report/types';

/**
 * The policy editor's draft: the form's fields as text, turned into a policy file by
 * {@link policyText}. What the file means is checked by the same parser (and schema) as an
 * imported file, so the editor never needs rules of its own.
 */

/** The clause an item comes from: its section and the verbatim phrase. */
export interface Clause {
  section: string;
  quote: string;
}

export interface LifetimeFields {
  months: string;
  days: string;
}

export interface Draft {
  id: string;
  version: string;
  title: string;
  language: string;
  sourceUrl: string;
  /** Comma-separated registrable domains. */
  sites: string;
  controller: { name: string; clause: Clause };
  recipients: Array<{ name: string; kind: DeclaredRecipient['kind']; domains: string; clause: Clause }>;
  categories: Array<{ category: Category; purpose: string; lifetime: LifetimeFields; clause: Clause }>;
  maxLifetime: LifetimeFields & { clause: Clause };
  thirdParties: Array<{
    vendor: string;
    name: string;
    entity: string;
    category: Category;
    legalBasis: DeclaredThirdParty['legalBasis'];
    domains: string;
    clause: Clause;
  }>;
  cookies: Array<{ name: string; category: Category; session: boolean; lifetime: LifetimeFields; clause: Clause }>;
  exemptions: Array<{ kind: DeclaredExemption['kind']; pattern: string; reason: string; clause: Clause }>;
}

export const clause = (): Clause => ({ section: '', quote: '' });
export const lifetime = (): LifetimeFields => ({ months: '', days: '' });

/** An empty draft for a site (the id is the site, the version today's date). */
export function emptyDraft(site = '', today = new Date().toISOString().slice(0, 10)): Draft {
  return {
    id: site,
    version: today,
    title: site ? `Politique de confidentialité de ${site}` : '',
    language: 'fr',
    sourceUrl: '',
    sites: site,
    controller: { name: '', clause: clause() },
    recipients: [],
    categories: [],
    maxLifetime: { ...lifetime(), clause: clause() },
    thirdParties: [],
    cookies: [],
    exemptions: [],
  };
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

/** A clause as refs: none when both fields are empty, so the schema says which clause is missing. */
function refs(c: Clause): PolicyRef[] {
  const section = c.section.trim();
  const quote = c.quote.trim();
  return section || quote ? [{ section, quote }] : [];
}

function lifetimeOf(l: LifetimeFields): DeclaredLifetime | undefined {
  const months = Number(l.months);
  const days = Number(l.days);
  const out: DeclaredLifetime = {
    ...(l.months.trim() && Number.isFinite(months) ? { months } : {}),
    ...(l.days.trim() && Number.isFinite(days) ? { days } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

/** The policy the draft describes (not checked: {@link policyText} goes through the parser). */
export function policyOf(d: Draft): DeclaredPolicy {
  const max = lifetimeOf(d.maxLifetime);
  return {
    formatVersion: POLICY_FORMAT_VERSION,
    id: d.id.trim(),
    version: d.version.trim(),
    title: d.title.trim(),
    language: d.language.trim(),
    ...(d.sourceUrl.trim() ? { sourceUrl: d.sourceUrl.trim() } : {}),
    sites: list(d.sites),
    controller: { name: d.controller.name.trim(), refs: refs(d.controller.clause) },
    recipients: d.recipients.map((r) => ({
      name: r.name.trim(),
      kind: r.kind,
      ...(list(r.domains).length ? { domains: list(r.domains) } : {}),
      refs: refs(r.clause),
    })),
    ...(max ? { maxCookieLifetime: { ...max, refs: refs(d.maxLifetime.clause) } } : {}),
    categories: d.categories.map((c) => {
      const l = lifetimeOf(c.lifetime);
      return {
        category: c.category,
        purpose: c.purpose.trim(),
        ...(l ? { maxLifetime: l } : {}),
        refs: refs(c.clause),
      };
    }),
    thirdParties: d.thirdParties.map((t) => ({
      vendor: t.vendor.trim(),
      name: t.name.trim(),
      entity: t.entity.trim(),
      category: t.category,
      legalBasis: t.legalBasis,
      domains: list(t.domains),
      refs: refs(t.clause),
    })),
    ...(d.cookies.length
      ? {
          cookies: d.cookies.map((c) => {
            const l = lifetimeOf(c.lifetime);
            return {
              name: c.name.trim(),
              category: c.category,
              ...(c.session ? { session: true } : {}),
              ...(l ? { maxLifetime: l } : {}),
              refs: refs(c.clause),
            };
          }),
        }
      : {}),
    exemptions: d.exemptions.map((e) => ({
      kind: e.kind,
      ...(e.kind === 'cookie-name' && e.pattern.trim() ? { pattern: e.pattern.trim() } : {}),
      reason: e.reason.trim(),
      refs: refs(e.clause),
    })),
  };
}

/** The policy file's text, as the editor saves and downloads it. */
export function policyText(d: Draft): string {
  return `${JSON.stringify(policyOf(d), null, 2)}\n`;
}

/** What an audit observed, for the editor to offer: third parties, categories and cookies. */
export interface Observed {
  thirdParties: Array<{ site: string; url: string; classification?: Classification }>;
  categories: Category[];
  cookies: Array<{ name: string; domain: string; session: boolean; classification?: Classification }>;
}

/**
 * The third parties (registrable domains), purposes and cookies of a report, each classified by
 * `classify` (the options page asks the background, so imported knowledge counts too).
 */
export async function observedIn(
  report: AuditReport,
  classify: (probe: { url?: string; cookie?: { name: string; domain: string } }) => Promise<Classification | undefined>,
): Promise<Observed> {
  const sites = new Map<string, string>();
  for (const r of report.observations.requests)
    if (r.thirdParty && r.site && !sites.has(r.site)) sites.set(r.site, r.url);
  const cookies = new Map<string, { name: string; domain: string; session: boolean }>();
  for (const c of report.observations.cookies) {
    const key = `${c.name}@${c.domain}`;
    if (!cookies.has(key) && c.action !== 'removed')
      cookies.set(key, { name: c.name, domain: c.domain, session: !!c.session });
  }
  const thirdParties = await Promise.all(
    [...sites].map(async ([site, url]) => ({ site, url, classification: await classify({ url }) })),
  );
  const cookieList = await Promise.all(
    [...cookies.values()].map(async (c) => ({
      ...c,
      classification: await classify({ cookie: { name: c.name, domain: c.domain } }),
    })),
  );
  const categories = [
    ...new Set([...thirdParties, ...cookieList].flatMap((i) => (i.classification ? [i.classification.category] : []))),
  ].sort();
  return {
    thirdParties: thirdParties.sort((a, b) => a.site.localeCompare(b.site)),
    categories,
    cookies: cookieList.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
