import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import { withNote } from '../engine/evidence-note';
import { text } from '../i18n';
import type { Evidence, Finding } from '../findings';
import { finding, findingMessage } from './finding';

/**
 * Purposes consented before the visitor acted: checkboxes or switches of the settings layer already
 * checked when it opened (other than strictly necessary ones), or an IAB TC string with purposes
 * consented while no decision had been made and no real click had come. Consent needs a clear
 * positive act; a pre-ticked box is none (CJEU, Planet49, C-673/17; EDPB cookie banner taskforce, 2023).
 */
export function preTickedChoices(ctx: AuditContext): Finding[] {
  const evidence: Evidence[] = [];
  const purposes = new Set<string>();
  let acted = false;
  for (const o of ctx.byKind.consent) {
    if (o.event === 'user-gesture' && o.trusted) acted = true;
    if (o.event === 'banner-measured' && o.measure) {
      const ticked = o.measure.layers.flatMap((l) => l.toggles).filter((t) => t.checked && !t.necessary);
      if (!ticked.length) continue;
      for (const t of ticked) purposes.add(t.label);
      const labels = ticked.map((t) => `"${t.label}"`).join(', ');
      evidence.push(withNote(evidenceOf(o), text('evidenceNote.preTicked', { labels })));
    }
    if (o.tcf && o.tcf.purposeConsents.length && o.phase === 'before-consent' && !acted) {
      purposes.add(`TCF purposes ${o.tcf.purposeConsents.join(', ')}`);
      const params = { cmp: o.tcf.cmpId, purposes: o.tcf.purposeConsents.join(', ') };
      evidence.push(withNote(evidenceOf(o), text('evidenceNote.tcfBeforeAction', params)));
    }
  }
  if (!evidence.length) return [];
  return [
    finding(ctx, 'pre-ticked-choices', {
      subject: { kind: 'banner', key: 'banner', label: 'consent banner' },
      message: findingMessage('pre-ticked-choices', {}, { purposes: [...purposes].join('; ') }),
      policyRefs: [],
      evidence,
    }),
  ];
}
