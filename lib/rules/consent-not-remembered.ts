import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import { withNote } from '../engine/evidence-note';
import { describeLifetime, isoTime, lifetimeLimit } from '../engine/lifetime';
import type { EffectiveDecision, Phased } from '../engine/phases';
import type { Evidence, Finding } from '../findings';
import type { Observation } from '../observations';
import type { DeclaredLifetime } from '../policy/types';
import { text } from '../i18n';
import { finding, findingMessage } from './finding';

/** The CNIL's good practice for keeping a choice when the policy states none (recommendation 2020-092, §31). */
const DEFAULT_RETENTION: DeclaredLifetime = { months: 6 };

const isNavigation = (o: Observation) => o.kind === 'request' && o.type === 'main_frame';

/**
 * The banner came back on a later page (a reload, another page of the site) after the visitor had
 * decided, within the time the site says it keeps the choice (`consentRetention`, else six months).
 * A refusal must be remembered like a consent: asking again at every page pressures the visitor
 * into accepting (CNIL recommendation 2020-092; EDPB cookie banner taskforce, 2023). Only a banner
 * shown after a new page load counts: one reopened on the same page (to withdraw) is the visitor's act.
 */
export function consentNotRemembered(ctx: AuditContext): Finding[] {
  if (!ctx.decisions.length) return [];
  const retention = ctx.policy.consentRetention ?? DEFAULT_RETENTION;
  const decisionSeqs = new Map(ctx.decisions.map((d) => [d.seq, d]));
  let decision: EffectiveDecision | undefined;
  let decided: Phased | undefined;
  let navigation: Phased | undefined;
  const returns: Array<{ decision: EffectiveDecision; decided: Phased; navigation: Phased; banner: Phased }> = [];
  const byTime = (a: Phased, b: Phased) => a.time - b.time || a.seq - b.seq;
  // Recorded observations are almost always in time order already: then there is nothing to sort.
  const ordered = ctx.observations.every((o, i, all) => i === 0 || byTime(all[i - 1]!, o) <= 0);
  for (const o of ordered ? ctx.observations : [...ctx.observations].sort(byTime)) {
    const opened = decisionSeqs.get(o.seq);
    if (opened) {
      decision = opened;
      decided = o;
      navigation = undefined;
      continue;
    }
    if (!decision || !decided) continue;
    if (isNavigation(o) && o.time >= decision.time) navigation ??= o;
    else if (
      o.kind === 'consent' &&
      o.event === 'banner-shown' &&
      o.trusted &&
      navigation &&
      o.time <= lifetimeLimit(decision.time, retention)
    ) {
      returns.push({ decision, decided, navigation, banner: o });
      navigation = undefined; // one return per page load
    }
  }
  if (!returns.length) return [];
  const evidence: Evidence[] = [];
  const seen = new Set<number>();
  for (const r of returns) {
    for (const [o, note] of [
      [r.decided, r.decision.withdrawal ? 'withdrawal' : r.decision.decision],
      [r.navigation, 'navigation'],
      [r.banner, 'banner'],
    ] as const) {
      if (seen.has(o.seq)) continue;
      seen.add(o.seq);
      const e = evidenceOf(o);
      evidence.push(withNote(e, text(`evidenceNote.remembered.${note}`, { detail: e.note ?? o.url })));
    }
  }
  const first = returns[0]!;
  const declared = ctx.policy.consentRetention;
  return [
    finding(ctx, 'consent-not-remembered', {
      subject: { kind: 'banner', key: 'banner', label: 'consent banner' },
      message: findingMessage(
        'consent-not-remembered',
        {},
        {
          establishedBy: first.decision.establishedBy,
          time: isoTime(first.decision.time),
          count: returns.length,
          first: isoTime(first.banner.time),
          retention: describeLifetime(retention),
          basis: text(declared ? 'fragment.retention.declared' : 'fragment.retention.practice'),
        },
      ),
      policyRefs: declared?.refs ?? [],
      evidence,
    }),
  ];
}
