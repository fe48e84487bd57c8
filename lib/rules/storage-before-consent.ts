import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import type { Phased } from '../engine/phases';
import type { Classification } from '../knowledge/types';
import type { StorageObservation } from '../observations';
import type { Finding } from '../findings';
import { categoryText, consentMoment, finding, findingMessage, groupBy } from './finding';

/**
 * A value written to web storage, before the decision, by a vendor or script whose category needs
 * consent (EDPB Guidelines 2/2023: storage counts like cookies). The key is classified by the
 * knowledge base, or else the writing script (from the stack) is.
 *
 * Decision: who wrote it decides, not how long it is. A length floor let Microsoft Clarity's 6-character
 * tab id `_cltk` through; a tracker's script needs consent to store anything on the terminal, and a
 * short value can still single out a visitor or a tab. First-party scripts stay unclassified, so a
 * site's own short UI preference is not flagged.
 */
export function storageBeforeConsent(ctx: AuditContext): Finding[] {
  const hits: Array<{ o: Phased<StorageObservation>; c: Classification }> = [];
  for (const o of ctx.byKind.storage) {
    if (o.phase !== 'before-consent' || (o.action !== 'set' && o.action !== 'snapshot')) continue;
    const byKey = ctx.classify.storage(o);
    const byScript =
      !byKey && o.initiator ? ctx.classify.url(o.initiator, 'script', `https://${o.topSite}/`) : undefined;
    const c = byKey ?? byScript;
    if (c?.needsConsent) hits.push({ o, c });
  }
  return [...groupBy(hits, ({ o }) => `${o.key}@${o.origin}`)].map(([key, group]) => {
    const { o, c } = group[0]!;
    return finding(ctx, 'storage-before-consent', {
      subject: { kind: 'storage', key, label: `${o.area} ${o.key} (${o.origin})` },
      message: findingMessage(
        'storage-before-consent',
        { vendor: c.vendorName, key: o.key },
        {
          area: o.area,
          key: o.key,
          origin: o.origin,
          vendor: c.vendorName,
          category: categoryText(c.category),
          moment: consentMoment(ctx),
        },
      ),
      category: c.category,
      classifiedBy: c,
      policyRefs: ctx.policy.categories.filter((d) => d.category === c.category).flatMap((d) => d.refs),
      evidence: group.map(({ o: s }) => evidenceOf(s)),
    });
  });
}
