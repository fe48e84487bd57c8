import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import type { Finding } from '../findings';
import { finding, findingMessage } from './finding';

/**
 * The withdrawal journey found no way to withdraw the consent given: no control on the page,
 * by its label, to withdraw or to reopen the consent settings. Withdrawing must be as easy as giving
 * consent (GDPR art. 7(3); CNIL guidelines 2020-091; EDPB cookie banner taskforce, 2023).
 */
export function withdrawalNotFound(ctx: AuditContext): Finding[] {
  const missing = ctx.byKind.consent.filter((o) => o.event === 'withdrawal-not-found');
  if (!missing.length) return [];
  return [
    finding(ctx, 'withdrawal-not-found', {
      subject: { kind: 'banner', key: 'banner', label: 'consent banner' },
      message: findingMessage(
        'withdrawal-not-found',
        {},
        { how: missing.map((o) => (o.kind === 'consent' ? o.how : '')).join('; ') },
      ),
      policyRefs: [],
      evidence: missing.map((o) => evidenceOf(o)),
    }),
  ];
}
