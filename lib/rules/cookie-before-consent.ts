import type { AuditContext } from '../engine/context';
import { evidenceOfCookieWrite } from '../engine/evidence';
import type { Finding } from '../findings';
import { ruleMeta } from './catalog';
import { categoryText, consentMoment, finding, findingMessage, groupBy, timesText } from './finding';
import { exemptByPolicy } from './exemptions';

/**
 * A cookie whose category needs consent, set before the visitor's decision. Exempt: session
 * cookies, the consent platform's own choice cookie (consent-management needs no consent), and
 * what the policy declares exempt. reCAPTCHA's cookie is reported by its own rule.
 */
export function cookieBeforeConsent(ctx: AuditContext): Finding[] {
  const dedicated = new Set(ruleMeta('recaptcha-before-consent').vendors ?? []);
  const hits = ctx.cookieWrites
    .filter((w) => w.phase === 'before-consent' && !w.deletes && !w.session && !exemptByPolicy(ctx.policy, w.name))
    .map((w) => ({ w, c: ctx.classify.cookie(w) }))
    .filter(({ c }) => c && c.needsConsent && !dedicated.has(c.vendorId));
  return [...groupBy(hits, ({ w }) => `${w.name}@${w.domain}`)].map(([key, group]) => {
    const { w, c } = group[0]!;
    return finding(ctx, 'cookie-before-consent', {
      subject: { kind: 'cookie', key, label: `${w.name} (${w.domain})` },
      message: findingMessage(
        'cookie-before-consent',
        { cookie: w.name },
        {
          cookie: w.name,
          domain: w.domain,
          category: categoryText(c!.category),
          vendor: c!.vendorName,
          moment: consentMoment(ctx),
          repeat: timesText(group.length),
        },
      ),
      category: c!.category,
      classifiedBy: c!,
      policyRefs: ctx.policy.categories.filter((d) => d.category === c!.category).flatMap((d) => d.refs),
      evidence: group.map(({ w: write }) => evidenceOfCookieWrite(write)),
    });
  });
}
