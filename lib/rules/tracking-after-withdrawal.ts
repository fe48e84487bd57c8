import type { AuditContext } from '../engine/context';
import { isoTime } from '../engine/lifetime';
import type { Finding } from '../findings';
import { text } from '../i18n';
import { categoryText, finding, findingMessage } from './finding';
import { trackingInPhase } from './tracking-in-phase';

/**
 * After the visitor withdrew the consent given earlier: any request to a tracker that needs consent,
 * any cookie or storage write by such a vendor, and its cookies set while consent stood that the
 * site neither removed nor stopped sending (the browser still holds them, so every request to the
 * vendor carries them). Withdrawing must be as easy as consenting and must take effect (GDPR art.
 * 7(3); CNIL, SHEIN, SAN-2025-005: cookies still read and written after withdrawal).
 */
export function trackingAfterWithdrawal(ctx: AuditContext): Finding[] {
  const withdrawal = ctx.decisions.find((d) => d.withdrawal && d.decision === 'reject');
  if (!withdrawal) return [];
  const byVendor = trackingInPhase(ctx, withdrawal, 'after-withdrawal', text('evidenceNote.keptAfterWithdrawal'));
  return [...byVendor.entries()].map(([vendorId, { c, evidence }]) => {
    const kept = evidence.filter((e) => e.note).length;
    return finding(ctx, 'tracking-after-withdrawal', {
      subject: { kind: 'vendor', key: vendorId, label: `${c.vendorName} (${c.entity})` },
      // The violation is what goes on once consent was withdrawn, even when its oldest evidence is a
      // cookie set before the choice and kept.
      phase: 'after-withdrawal',
      message: findingMessage(
        'tracking-after-withdrawal',
        { vendor: c.vendorName },
        {
          establishedBy: withdrawal.establishedBy,
          time: isoTime(withdrawal.time),
          count: evidence.length - kept,
          vendor: c.vendorName,
          category: categoryText(c.category),
          notRemoved: kept ? text('fragment.notRemovedSinceConsent', { count: kept }) : text('fragment.end'),
        },
      ),
      category: c.category,
      classifiedBy: c,
      policyRefs: ctx.policy.categories.filter((d) => d.category === c.category).flatMap((d) => d.refs),
      evidence,
    });
  });
}
