import type { Category } from '../categories';
import type { AuditContext } from '../engine/context';
import { evidenceOf, evidenceOfCookieWrite } from '../engine/evidence';
import type { Classification } from '../knowledge/types';
import { categoryDeclaration, IMPLICIT_PURPOSES, purposeRefs } from '../policy/coverage';
import type { Evidence, Finding } from '../findings';
import { categoryText, finding, findingMessage, groupBy } from './finding';
import { list, text } from '../i18n';

interface Hit {
  c: Classification;
  evidence: Evidence;
}

/**
 * An observed purpose (the category of a classified request, cookie or storage key) that the policy
 * does not declare: no declared category, third party or listed cookie has it. Session recording by
 * Hotjar on a site whose policy speaks only of audience measurement is the typical case.
 * Exempt purposes (strictly necessary, consent storage) and CDN hosting are not purposes a policy
 * must list (IMPLICIT_PURPOSES). One finding per category, with every item as evidence.
 */
export function undeclaredCategory(ctx: AuditContext): Finding[] {
  const hits: Hit[] = [];
  const declaredCategory = new Map<string, boolean>();
  const isDeclared = (category: Category) => {
    let declared = declaredCategory.get(category);
    if (declared === undefined)
      declaredCategory.set(category, (declared = !!categoryDeclaration(ctx.policy, category)));
    return declared;
  };
  const add = (c: Classification | undefined, evidence: () => Evidence) => {
    if (!c || IMPLICIT_PURPOSES.has(c.category) || isDeclared(c.category)) return;
    hits.push({ c, evidence: evidence() });
  };
  for (const o of ctx.observations) {
    if (o.kind === 'request') add(ctx.classify.request(o), () => evidenceOf(o));
    else if (o.kind === 'storage' && o.action !== 'remove' && o.action !== 'clear')
      add(ctx.classify.storage(o), () => evidenceOf(o));
  }
  for (const w of ctx.cookieWrites) {
    if (!w.deletes) add(ctx.classify.cookie(w), () => evidenceOfCookieWrite(w));
  }
  const declaredList = ctx.policy.categories.map((d) => categoryText(d.category));
  const declared = declaredList.length ? list(declaredList) : text('word.none');
  return [...groupBy(hits, (h) => h.c.category)].map(([category, group]) => {
    const sources = [...groupBy(group, (h) => h.c.vendorId)].map(
      ([, g]) => `${g[0]!.c.vendorName} (${g[0]!.c.matchedBy})`,
    );
    const more = sources.length > 5 ? text('fragment.andMore', { count: sources.length - 5 }) : '';
    return finding(ctx, 'undeclared-category', {
      subject: { kind: 'category', key: category, label: category },
      message: findingMessage(
        'undeclared-category',
        { category: categoryText(category) },
        {
          count: group.length,
          category: categoryText(category),
          sources: sources.slice(0, 5).join('; '),
          more,
          declared,
        },
      ),
      category: category as Category,
      classifiedBy: group[0]!.c,
      policyRefs: purposeRefs(ctx.policy),
      evidence: group.map((h) => h.evidence),
    });
  });
}
