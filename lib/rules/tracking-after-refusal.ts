import type { AuditContext } from '../engine/context';
import { isoTime } from '../engine/lifetime';
import type { Finding } from '../findings';
import { categoryText, finding, findingMessage } from './finding';
import { trackingInPhase } from './tracking-in-phase';
import { text } from '../i18n';

/**
 * After the visitor refused: any request to a tracker that needs consent, any cookie or storage
 * write by such a vendor, and such cookies set before the refusal that the site never removed
 * (a refusal must be respected like a consent: CNIL recommendation 2020-092). "Before" and
 * "after" the refusal are those of the phases (`eventOrder`: time, then sequence).
 */
export function trackingAfterRefusal(ctx: AuditContext): Finding[] {
  const refusal = ctx.decisions.find((d) => d.decision === 'reject' && !d.withdrawal); // withdrawals: tracking-after-withdrawal
  if (!refusal) return [];
  const byVendor = trackingInPhase(ctx, refusal, 'after-reject', text('evidenceNote.keptAfterRefusal'));
  return [...byVendor.entries()].map(([vendorId, { c, evidence }]) =>
    finding(ctx, 'tracking-after-refusal', {
      subject: { kind: 'vendor', key: vendorId, label: `${c.vendorName} (${c.entity})` },
      phase: 'after-reject',
      message: findingMessage(
        'tracking-after-refusal',
        { vendor: c.vendorName },
        {
          establishedBy: refusal.establishedBy,
          time: isoTime(refusal.time),
          count: evidence.filter((e) => !e.note).length,
          vendor: c.vendorName,
          category: categoryText(c.category),
          notRemoved: evidence.some((e) => e.note)
            ? text('fragment.notRemoved', { count: evidence.filter((e) => e.note).length })
            : text('fragment.end'),
        },
      ),
      category: c.category,
      classifiedBy: c,
      policyRefs: ctx.policy.categories.filter((d) => d.category === c.category).flatMap((d) => d.refs),
      evidence,
    }),
  );
}
