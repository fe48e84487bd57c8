import type { AuditContext } from '../engine/context';
import { evidenceOf, evidenceOfCookieWrite } from '../engine/evidence';
import { isoTime } from '../engine/lifetime';
import { eventOrder } from '../engine/phases';
import type { Classification } from '../knowledge/types';
import type { Evidence, Finding } from '../findings';
import { text } from '../i18n';
import { categoryText, finding, findingMessage } from './finding';

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
  const byVendor = new Map<string, { c: Classification; evidence: Evidence[] }>();
  const add = (c: Classification | undefined, e: () => Evidence) => {
    if (!c?.needsConsent || c.category === 'consent-management') return;
    const entry = byVendor.get(c.vendorId) ?? { c, evidence: [] };
    entry.evidence.push(e());
    byVendor.set(c.vendorId, entry);
  };
  for (const o of ctx.observations) {
    if (o.phase !== 'after-withdrawal') continue;
    if (o.kind === 'request') add(ctx.classify.request(o), () => evidenceOf(o));
    if (o.kind === 'storage' && o.action === 'set') add(ctx.classify.storage(o), () => evidenceOf(o));
  }
  const removedAfter = new Set(
    ctx.cookieWrites.filter((w) => w.deletes && eventOrder(w, withdrawal) > 0).map((w) => `${w.name}@${w.domain}`),
  );
  const kept = new Set<string>();
  for (const w of ctx.cookieWrites) {
    if (w.deletes || w.session) continue;
    const key = `${w.name}@${w.domain}`;
    if (w.phase === 'after-withdrawal') add(ctx.classify.cookie(w), () => evidenceOfCookieWrite(w));
    else if (eventOrder(w, withdrawal) < 0 && !removedAfter.has(key) && !kept.has(key)) {
      kept.add(key);
      add(ctx.classify.cookie(w), () => ({
        ...evidenceOfCookieWrite(w),
        note: 'set while consent stood and still stored after the withdrawal: the site did not remove it',
      }));
    }
  }
  return [...byVendor.entries()].map(([vendorId, { c, evidence }]) => {
    const kept = evidence.filter((e) => e.note).length;
    return finding(ctx, 'tracking-after-withdrawal', {
      subject: { kind: 'vendor', key: vendorId, label: `${c.vendorName} (${c.entity})` },
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
