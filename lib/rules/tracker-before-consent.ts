import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import type { RequestObservation } from '../observations';
import type { Phased } from '../engine/phases';
import type { Finding } from '../findings';
import { ruleMeta } from './catalog';
import { categoryText, consentMoment, finding, findingMessage, groupBy } from './finding';

/**
 * Requests to a tracker whose category needs consent, made before any consent decision.
 * Vendors with a dedicated rule (reCAPTCHA) are left to it, so one fact gives one finding.
 */
export function trackerBeforeConsent(ctx: AuditContext): Finding[] {
  const dedicated = new Set(ruleMeta('recaptcha-before-consent').vendors ?? []);
  const requests = ctx.observations.filter(
    (o): o is Phased<RequestObservation> => o.kind === 'request' && o.phase === 'before-consent',
  );
  const classified = requests
    .map((o) => ({ o, c: ctx.classify.request(o) }))
    .filter(({ c }) => c && c.needsConsent && !dedicated.has(c.vendorId));
  return [...groupBy(classified, ({ c }) => c!.vendorId)].map(([vendorId, hits]) => {
    const c = hits[0]!.c!;
    const declared = ctx.policy.categories.filter((d) => d.category === c.category);
    const hosts = [...new Set(hits.map(({ o }) => o.host))];
    return finding(ctx, 'tracker-before-consent', {
      subject: { kind: 'vendor', key: vendorId, label: `${c.vendorName} (${c.entity})` },
      message: findingMessage(
        'tracker-before-consent',
        { vendor: c.vendorName },
        {
          count: hits.length,
          vendor: c.vendorName,
          hosts: hosts.join(', '),
          category: categoryText(c.category),
          moment: consentMoment(ctx),
        },
      ),
      category: c.category,
      classifiedBy: c,
      policyRefs: declared.flatMap((d) => d.refs),
      evidence: hits.map(({ o }) => evidenceOf(o)),
    });
  });
}
