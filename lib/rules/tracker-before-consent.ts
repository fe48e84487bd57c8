import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import type { RequestObservation } from '../observations';
import type { Phased } from '../engine/phases';
import type { Finding } from '../findings';
import type { Classification } from '../knowledge/types';
import { ruleMeta } from './catalog';
import { categoryText, consentMoment, finding, findingMessage } from './finding';

/**
 * Requests to a tracker whose category needs consent, made before any consent decision.
 * Vendors with a dedicated rule (reCAPTCHA) are left to it, so one fact gives one finding.
 */
export function trackerBeforeConsent(ctx: AuditContext): Finding[] {
  const dedicated = new Set(ruleMeta('recaptcha-before-consent').vendors ?? []);
  // One pass, grouped by vendor in first-seen order.
  const byVendor = new Map<string, Array<{ o: Phased<RequestObservation>; c: Classification }>>();
  for (const o of ctx.byKind.request) {
    if (o.phase !== 'before-consent') continue;
    const c = ctx.classify.request(o);
    if (!c || !c.needsConsent || dedicated.has(c.vendorId)) continue;
    const hits = byVendor.get(c.vendorId);
    if (hits) hits.push({ o, c });
    else byVendor.set(c.vendorId, [{ o, c }]);
  }
  return [...byVendor].map(([vendorId, hits]) => {
    const c = hits[0]!.c;
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
