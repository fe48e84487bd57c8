import type { AuditContext } from '../engine/context';
import { judgedExpiry, judgedOn, type CookieWrite } from '../engine/cookie-writes';
import { evidenceOfCookieWrite } from '../engine/evidence';
import { daysBetween, exceedsLifetime, lifetimeLimit } from '../engine/lifetime';
import type { Classification } from '../knowledge/types';
import { isBaseline } from '../policy/baseline';
import { declaredCookie, uniqueRefs } from '../policy/coverage';
import type { DeclaredLifetime, PolicyRef } from '../policy/types';
import type { Finding } from '../findings';
import { categoryText, finding, findingMessage, groupBy, lifetimeText } from './finding';
import { list, text, type Param, type Text } from '../i18n';

/** One lifetime the policy declares that applies to a cookie, with where it says so. */
interface Limit {
  /** Undefined for "session cookie": any persistent lifetime exceeds it. */
  lifetime?: DeclaredLifetime;
  refs: PolicyRef[];
  /** In plain words, for the finding's detail. */
  what: Text;
}

/**
 * Every lifetime the policy declares for this cookie: the one it lists for the cookie by name (or
 * "session"), the one of the cookie's category (chat data kept one year), and its maximum for any
 * cookie. A cookie must meet all of them, so the strictest one it exceeds is the one reported.
 */
function limitsFor(ctx: AuditContext, w: CookieWrite, c: Classification | undefined): Limit[] {
  const { policy } = ctx;
  const limits: Limit[] = [];
  const listed = declaredCookie(policy, w.name);
  if (listed?.session)
    limits.push({
      refs: listed.refs,
      what: text('finding.cookieLifetimeExceedsPolicy.listedSession', { cookie: listed.name }),
    });
  if (listed?.maxLifetime) {
    limits.push({
      lifetime: listed.maxLifetime,
      refs: listed.refs,
      what: text('finding.cookieLifetimeExceedsPolicy.listed', { cookie: listed.name }),
    });
  }
  for (const d of policy.categories) {
    if (c && d.category === c.category && d.maxLifetime) {
      limits.push({
        lifetime: d.maxLifetime,
        refs: d.refs,
        what: text('finding.cookieLifetimeExceedsPolicy.category', {
          category: categoryText(d.category),
          purpose: d.purpose,
        }),
      });
    }
  }
  const max = policy.maxCookieLifetime;
  const law = isBaseline(policy);
  if (max)
    limits.push({
      lifetime: max,
      refs: max.refs,
      what: text(law ? 'finding.cookieLifetimeExceedsPolicy.lawMax' : 'finding.cookieLifetimeExceedsPolicy.max'),
    });
  return limits;
}

const exceeds = (w: CookieWrite, expiry: number, l: Limit) =>
  !l.lifetime || exceedsLifetime(w.time, expiry, l.lifetime);
const limitTime = (w: CookieWrite, l: Limit) => (l.lifetime ? lifetimeLimit(w.time, l.lifetime) : w.time);

/**
 * A cookie whose requested lifetime, counted from the moment it is set, exceeds a lifetime the
 * policy declares for it. The requested value is judged (browsers cap what they store at 400
 * days), and the effective one is shown beside it. The subject is the cookie; `classifiedBy` names
 * the source that gave its category, when a category lifetime applied.
 */
export function cookieLifetimeExceedsPolicy(ctx: AuditContext): Finding[] {
  const judged = ctx.cookieWrites.flatMap((w) => {
    const expiry = judgedExpiry(w);
    if (w.session || w.deletes || expiry === undefined) return [];
    const c = ctx.classify.cookie(w);
    const exceeded = limitsFor(ctx, w, c).filter((l) => exceeds(w, expiry, l));
    return exceeded.length ? [{ w, expiry, c, exceeded }] : [];
  });
  return [...groupBy(judged, ({ w }) => `${w.name}@${w.domain}`)].map(([key, writes]) => {
    const { w: first, expiry, c, exceeded } = writes[0]!;
    const strictest = [...exceeded].sort((a, b) => limitTime(first, a) - limitTime(first, b))[0]!;
    const requestedDays = daysBetween(first.time, expiry);
    // Requested when the site's own figure is judged; stored when the browser's is (no request
    // known, or a page claim lower than what the browser kept).
    const known = judgedOn(first) === 'requested';
    const claimedLess: Param =
      first.requestedExpiry !== undefined && !known
        ? text('finding.cookieLifetimeExceedsPolicy.claimedLess', {
            days: daysBetween(first.time, first.requestedExpiry),
          })
        : '';
    const allowed = strictest.lifetime
      ? text(
          isBaseline(ctx.policy)
            ? 'finding.cookieLifetimeExceedsPolicy.allowedLaw'
            : 'finding.cookieLifetimeExceedsPolicy.allowed',
          {
            lifetime: lifetimeText(strictest.lifetime),
            days: daysBetween(first.time, limitTime(first, strictest)),
          },
        )
      : text('finding.cookieLifetimeExceedsPolicy.session');
    const also = exceeded.filter((l) => l !== strictest).map((l) => l.what);
    const capped: Param =
      known && first.effectiveExpiry !== undefined && first.effectiveExpiry < expiry
        ? text('finding.cookieLifetimeExceedsPolicy.capped', { days: daysBetween(first.time, first.effectiveExpiry) })
        : '';
    return finding(ctx, 'cookie-lifetime-exceeds-policy', {
      subject: { kind: 'cookie', key, label: `${first.name} (${first.domain})` },
      message: findingMessage(
        'cookie-lifetime-exceeds-policy',
        { cookie: first.name },
        {
          cookie: first.name,
          domain: first.domain,
          how: text(known ? 'word.requested' : 'word.stored'),
          days: requestedDays,
          allowed,
          what: strictest.what,
          also: also.length ? text('finding.cookieLifetimeExceedsPolicy.also', { limits: list(also, 'and') }) : '',
          capped,
          claimedLess,
          repeat: writes.length > 1 ? text('fragment.writtenTimes', { count: writes.length }) : '',
        },
      ),
      ...(c ? { category: c.category, classifiedBy: c } : {}),
      policyRefs: uniqueRefs([strictest, ...exceeded].flatMap((l) => l.refs)),
      evidence: writes.map(({ w }) => evidenceOfCookieWrite(w)),
    });
  });
}
