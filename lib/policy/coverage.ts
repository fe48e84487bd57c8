import { CATEGORY_NEEDS_CONSENT, type Category } from '../categories';
import { hostMatches } from '../site';
import type { Classification } from '../knowledge/types';
import type { DeclaredCookie, DeclaredPolicy, PolicyRef } from './types';

/**
 * What a declared policy covers: the questions the comparison rules ask of it. Kept apart from the
 * rules so that each rule stays a few lines, and so the answers are the same everywhere.
 */

/**
 * Purposes a policy need not declare for the comparison to hold: storing the consent choice and
 * strictly necessary operation are exempt from consent (CNIL 2020, art. 82), and CDN/hosting is
 * infrastructure rather than a purpose. Their recipients are still judged by
 * `undeclared-third-party`. Documented in docs/policy-format.md.
 */
export const IMPLICIT_PURPOSES: ReadonlySet<Category> = new Set([
  'strictly-necessary',
  'consent-management',
  'cdn-hosting',
]);

/**
 * Categories whose vendors normally act as the site's processors (GDPR art. 28): a policy that
 * declares processors as a category of recipients (art. 13(1)(e) allows categories) covers them.
 * Advertising, analytics, social and embedded services use the data for themselves and must be
 * declared by name or purpose.
 */
export const PROCESSOR_CATEGORIES: ReadonlySet<Category> = new Set([
  'cdn-hosting',
  'strictly-necessary',
  'functional',
  'consent-management',
]);

/**
 * The cookie the policy lists under this name: exact names first, then the longest prefix. Names
 * are also compared URL-decoded, since scripts often write `crisp-client%2Fsession%2F…` for what a
 * policy calls `crisp-client/session/`.
 */
export function declaredCookie(policy: DeclaredPolicy, name: string): DeclaredCookie | undefined {
  const cookies = policy.cookies ?? [];
  const names = [name, decoded(name)];
  return (
    cookies.find((c) => (c.match ?? 'exact') === 'exact' && names.includes(c.name)) ??
    cookies
      .filter((c) => c.match === 'prefix' && names.some((n) => n.startsWith(c.name)))
      .sort((a, b) => b.name.length - a.name.length)[0]
  );
}

function decoded(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** A classification from the policy's own cookie list, for cookies no knowledge source knows. */
export function classificationFromPolicy(
  policy: DeclaredPolicy,
  cookie: DeclaredCookie,
  vendorName?: string,
): Classification {
  return {
    vendorId: cookie.vendor ?? policy.id,
    vendorName: vendorName ?? cookie.vendor ?? policy.controller.name,
    entity: policy.controller.name,
    category: cookie.category,
    // The policy's word on consent is not evidence: judge by the category.
    needsConsent: CATEGORY_NEEDS_CONSENT[cookie.category],
    source: 'policy',
    matchedBy: `policy cookie ${cookie.name} (${cookie.match ?? 'exact'}), §${cookie.refs[0]?.section ?? '?'}`,
    sourceName: `${policy.id} v${policy.version}`,
  };
}

/**
 * The clauses that declare a third party, when the policy declares it: a named third party or a
 * recipient tied to the vendor or the host's domain. Undefined when none does.
 */
export function thirdPartyDeclaration(
  policy: DeclaredPolicy,
  host: string,
  vendorId: string | undefined,
): PolicyRef[] | undefined {
  for (const t of policy.thirdParties) {
    if ((vendorId && t.vendor === vendorId) || t.domains.some((d) => hostMatches(host, d))) return t.refs;
  }
  for (const r of policy.recipients) {
    if ((vendorId && r.vendors?.includes(vendorId)) || r.domains?.some((d) => hostMatches(host, d))) return r.refs;
  }
  return undefined;
}

/** Whether the policy declares processors as a category of recipients. */
export function declaresProcessors(policy: DeclaredPolicy): boolean {
  return policy.recipients.some((r) => r.kind === 'processor');
}

/** The clauses that declare a purpose (category), from categories, third parties and cookies. */
export function categoryDeclaration(policy: DeclaredPolicy, category: Category): PolicyRef[] | undefined {
  const refs = [
    ...policy.categories.filter((c) => c.category === category).flatMap((c) => c.refs),
    ...policy.thirdParties.filter((t) => t.category === category).flatMap((t) => t.refs),
    ...(policy.cookies ?? []).filter((c) => c.category === category).flatMap((c) => c.refs),
  ];
  return refs.length ? refs : undefined;
}

/** Every clause naming a recipient, without repeats: what an undeclared recipient is missing from. */
export function recipientRefs(policy: DeclaredPolicy): PolicyRef[] {
  return uniqueRefs([...policy.recipients.flatMap((r) => r.refs), ...policy.thirdParties.flatMap((t) => t.refs)]);
}

/** The first clause of each declared purpose: what an undeclared purpose is missing from. */
export function purposeRefs(policy: DeclaredPolicy): PolicyRef[] {
  return uniqueRefs(policy.categories.flatMap((c) => c.refs.slice(0, 1)));
}

export function uniqueRefs(refs: readonly PolicyRef[]): PolicyRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.section}\u0000${r.quote}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
