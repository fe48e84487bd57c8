import type { AuditContext } from '../engine/context';
import { judgedExpiry } from '../engine/cookie-writes';
import { evidenceOfCookieWrite } from '../engine/evidence';
import { daysBetween, describeLifetime, exceedsLifetime, lifetimeLimit } from '../engine/lifetime';
import type { Finding } from '../report/types';
import { finding, groupBy } from './finding';

/**
 * A cookie whose requested lifetime, counted from the moment it is set, exceeds the policy's
 * maximum. The requested value is judged (browsers cap what they store at 400 days), and the
 * effective one is shown beside it.
 */
export function cookieLifetimeExceedsPolicy(ctx: AuditContext): Finding[] {
  const max = ctx.policy.maxCookieLifetime;
  if (!max) return [];
  const offending = ctx.cookieWrites.filter((w) => {
    const expiry = judgedExpiry(w);
    return !w.session && !w.deletes && expiry !== undefined && exceedsLifetime(w.time, expiry, max);
  });
  const limit = describeLifetime(max);
  return [...groupBy(offending, (w) => `${w.name}@${w.domain}`)].map(([key, writes]) => {
    const first = writes[0]!;
    const expiry = judgedExpiry(first)!;
    const requestedDays = daysBetween(first.time, expiry);
    const limitDays = daysBetween(first.time, lifetimeLimit(first.time, max));
    const classification = ctx.knowledge.classifyCookie(first.name, first.domain);
    const known = first.requestedExpiry !== undefined;
    return finding(ctx, 'cookie-lifetime-exceeds-policy', {
      subject: { kind: 'cookie', key, label: `${first.name} (${first.domain})` },
      title: `Cookie ${first.name} lives longer than the policy allows`,
      detail:
        `${first.name} on ${first.domain} was ${known ? 'requested' : 'stored'} with a lifetime of ${requestedDays} days; ` +
        `the policy allows ${limit} (${limitDays} days from the moment it was set).` +
        (known && first.effectiveExpiry !== undefined && first.effectiveExpiry < expiry
          ? ` The browser capped it to ${daysBetween(first.time, first.effectiveExpiry)} days, but the site asked for more.`
          : '') +
        (writes.length > 1 ? ` Written ${writes.length} times.` : ''),
      ...(classification ? { category: classification.category, classifiedBy: classification } : {}),
      policyRefs: max.refs,
      evidence: writes.map(evidenceOfCookieWrite),
    });
  });
}
