import type { AuditContext } from '../engine/context';
import { evidenceOfCookieWrite } from '../engine/evidence';
import type { CookieWrite } from '../engine/cookie-writes';
import type { Finding } from '../findings';
import type { Classification } from '../knowledge/types';
import { ruleMeta } from './catalog';
import { categoryText, consentMoment, finding, findingMessage, groupBy, timesText } from './finding';
import { exemptByPolicy } from './exemptions';

/**
 * A cookie whose category needs consent, set before the visitor's decision. Exempt: session
 * cookies, the consent platform's own choice cookie (consent-management needs no consent), and
 * what the policy declares exempt. reCAPTCHA's cookie is reported by its own rule.
 */
/**
 * The tracker behind a cookie the knowledge does not know by name, when a cloaked host of the site
 * (lib/knowledge/cloaking.ts) set it: its Set-Cookie response, or the script that wrote it, came
 * from a first-party host that is a tracker's by CNAME (or by a known set-up's request shape).
 */
function cloakedSetter(ctx: AuditContext, w: CookieWrite): Classification | undefined {
  const page = `https://${w.observations[0]?.topSite ?? w.domain}/`;
  const by =
    w.via === 'set-cookie-header'
      ? ctx.classify.url(w.url, 'other', page)
      : w.initiator
        ? ctx.classify.url(w.initiator, 'script', page)
        : undefined;
  return by && /^(cname|cloaking-shape): /.test(by.matchedBy) ? by : undefined;
}

export function cookieBeforeConsent(ctx: AuditContext): Finding[] {
  const dedicated = new Set(ruleMeta('recaptcha-before-consent').vendors ?? []);
  const hits = ctx.cookieWrites
    .filter((w) => w.phase === 'before-consent' && !w.deletes && !w.session && !exemptByPolicy(ctx.policy, w.name))
    .map((w) => {
      const c = ctx.classify.cookie(w);
      const cloaked = c?.needsConsent ? undefined : cloakedSetter(ctx, w);
      return { w, c: cloaked ?? c, cloaked: !!cloaked };
    })
    .filter(({ c }) => c && c.needsConsent && !dedicated.has(c.vendorId));
  return [...groupBy(hits, ({ w }) => `${w.name}@${w.domain}`)].map(([key, group]) => {
    const { w, c, cloaked } = group[0]!;
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
          ...(cloaked ? { setter: c!.matchedBy } : {}),
        },
        // A first-party cookie set by a third party: the detail says so (the known harm of CNAME cloaking).
        cloaked ? { title: 'title', detail: 'detailCloaked' } : undefined,
      ),
      category: c!.category,
      classifiedBy: c!,
      policyRefs: ctx.policy.categories.filter((d) => d.category === c!.category).flatMap((d) => d.refs),
      evidence: group.map(({ w: write }) => evidenceOfCookieWrite(write)),
    });
  });
}
