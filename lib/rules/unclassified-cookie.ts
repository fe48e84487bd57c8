import type { AuditContext } from '../engine/context';
import { judgedExpiry } from '../engine/cookie-writes';
import { evidenceOfCookieWrite } from '../engine/evidence';
import { daysBetween } from '../engine/lifetime';
import { isThirdParty } from '../site';
import type { Finding } from '../findings';
import { finding, findingMessage, groupBy, timesText } from './finding';
import { text } from '../i18n';

/**
 * A cookie that nothing classifies: no knowledge source (built-in, imported lists) and not the
 * policy's own cookie list. Info level, for a person to review and, once known, add to a source.
 *
 * Decision: the site's own session cookies are reported too. The policy's session-cookie exemption
 * says such a cookie needs no consent *if* it is strictly necessary; it does not say what the
 * cookie is, and a reviewer must confirm it. The finding says when that exemption would apply.
 * One finding per cookie name and domain.
 */
export function unclassifiedCookie(ctx: AuditContext): Finding[] {
  const unknown = ctx.cookieWrites.filter((w) => !w.deletes && !ctx.classify.cookie(w));
  const sessionExempt = ctx.policy.exemptions.some((e) => e.kind === 'session-cookies');
  return [...groupBy(unknown, (w) => `${w.name}@${w.domain}`)].map(([key, writes]) => {
    const first = writes[0]!;
    const firstParty = !isThirdParty(first.domain, first.observations[0]?.topSite ?? first.url);
    const session = writes.every((w) => w.session);
    const expiry = judgedExpiry(first);
    const lifetime = session
      ? text('finding.unclassifiedCookie.session')
      : expiry !== undefined
        ? text('finding.unclassifiedCookie.days', { days: daysBetween(first.time, expiry) })
        : text('finding.unclassifiedCookie.unknown');
    const exemption = firstParty && session && sessionExempt ? text('finding.unclassifiedCookie.exemption') : '';
    return finding(ctx, 'unclassified-cookie', {
      subject: { kind: 'cookie', key, label: `${first.name} (${first.domain})` },
      message: findingMessage(
        'unclassified-cookie',
        { cookie: first.name },
        {
          cookie: first.name,
          domain: first.domain,
          lifetime,
          via: first.via,
          script: first.initiator ? text('fragment.byScript', { script: first.initiator }) : '',
          repeat: timesText(writes.length),
          exemption,
        },
      ),
      policyRefs: [],
      evidence: writes.map(evidenceOfCookieWrite),
    });
  });
}
