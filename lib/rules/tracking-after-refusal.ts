import type { AuditContext } from '../engine/context';
import { evidenceOf, evidenceOfCookieWrite } from '../engine/evidence';
import { isoTime } from '../engine/lifetime';
import { eventOrder } from '../engine/phases';
import type { Classification } from '../knowledge/types';
import type { Evidence, Finding } from '../findings';
import { categoryText, finding, findingMessage } from './finding';
import { text } from '../i18n';

/**
 * After the visitor refused: any request to a tracker that needs consent, any cookie or storage
 * write by such a vendor, and such cookies set before the refusal that the site never removed
 * (a refusal must be respected like a consent: CNIL recommendation 2020-092). "Before" and
 * "after" the refusal are those of the phases (`eventOrder`: time, then sequence).
 */
export function trackingAfterRefusal(ctx: AuditContext): Finding[] {
  const refusal = ctx.decisions.find((d) => d.decision === 'reject');
  if (!refusal) return [];
  const byVendor = new Map<string, { c: Classification; evidence: Evidence[] }>();
  // Evidence is made only for what is kept: most requests after a refusal are not trackers.
  const add = (c: Classification | undefined, e: () => Evidence) => {
    if (!c?.needsConsent || c.category === 'consent-management') return;
    const entry = byVendor.get(c.vendorId) ?? { c, evidence: [] };
    entry.evidence.push(e());
    byVendor.set(c.vendorId, entry);
  };
  for (const o of ctx.observations) {
    if (o.phase !== 'after-reject') continue;
    if (o.kind === 'request') add(ctx.classify.request(o), () => evidenceOf(o));
    if (o.kind === 'storage' && o.action === 'set') add(ctx.classify.storage(o), () => evidenceOf(o));
  }
  const removedAfter = new Set(
    ctx.cookieWrites.filter((w) => w.deletes && eventOrder(w, refusal) > 0).map((w) => `${w.name}@${w.domain}`),
  );
  const stillThere = new Set<string>();
  for (const w of ctx.cookieWrites) {
    if (w.deletes || w.session) continue;
    const key = `${w.name}@${w.domain}`;
    if (w.phase === 'after-reject') add(ctx.classify.cookie(w), () => evidenceOfCookieWrite(w));
    else if (eventOrder(w, refusal) < 0 && !removedAfter.has(key) && !stillThere.has(key)) {
      stillThere.add(key);
      add(ctx.classify.cookie(w), () => ({
        ...evidenceOfCookieWrite(w),
        note: 'set before the refusal and still stored after it: the site did not remove it',
      }));
    }
  }
  return [...byVendor.entries()].map(([vendorId, { c, evidence }]) =>
    finding(ctx, 'tracking-after-refusal', {
      subject: { kind: 'vendor', key: vendorId, label: `${c.vendorName} (${c.entity})` },
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
