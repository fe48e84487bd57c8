import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import type { Phased } from '../engine/phases';
import type { Classification } from '../knowledge/types';
import type { RequestObservation } from '../observations';
import {
  categoryDeclaration,
  declaresProcessors,
  PROCESSOR_CATEGORIES,
  recipientRefs,
  thirdPartyDeclaration,
} from '../policy/coverage';
import type { Finding } from '../findings';
import { categoryText, finding, findingMessage, groupBy } from './finding';
import { text } from '../i18n';

interface Hit {
  o: Phased<RequestObservation>;
  c: Classification | undefined;
}

/**
 * A third party (another registrable domain) that receives requests although the policy neither
 * names it (third party, recipient, recipient domain) nor declares its purpose, nor declares
 * processors when it is the processor kind (CDN, hosting, consent platform). Unknown domains, and
 * domains only a filter list knows, cannot be covered by a purpose, since nothing says what they do. One finding per vendor, or per
 * registrable domain when no source knows the vendor. Every consent phase counts: declaring a
 * recipient does not depend on consent.
 */
export function undeclaredThirdParty(ctx: AuditContext): Finding[] {
  const { policy } = ctx;
  const covered = (host: string, c: Classification | undefined): boolean => {
    if (thirdPartyDeclaration(policy, host, c?.vendorId)) return true;
    // A filter-list match says "tracker" but names no vendor and no purpose (its category is the
    // importer's assumption): only a named recipient or recipient domain can cover it.
    const known = c && c.source !== 'filter-list' ? c : undefined;
    if (known && categoryDeclaration(policy, known.category)) return true;
    return !!known && PROCESSOR_CATEGORIES.has(known.category) && declaresProcessors(policy);
  };
  // Decided once per host and classification (classifications are memoised, so shared by identity).
  const decided = new Map<Classification | undefined, Map<string, boolean>>();
  const undeclared: Hit[] = [];
  for (const o of ctx.byKind.request) {
    if (!o.thirdParty || !o.site) continue;
    const c = ctx.classify.request(o);
    let byHost = decided.get(c);
    if (!byHost) decided.set(c, (byHost = new Map()));
    let isCovered = byHost.get(o.host);
    if (isCovered === undefined) byHost.set(o.host, (isCovered = covered(o.host, c)));
    if (!isCovered) undeclared.push({ o, c });
  }
  const named = policy.recipients.map((r) => r.name).join(', ') || text('word.nobody');
  // A filter-list match says "tracker", not whose: group those by domain, like unknown ones.
  const keyOf = ({ o, c }: Hit) => (c && c.source !== 'filter-list' ? c.vendorId : o.site);
  return [...groupBy(undeclared, keyOf)].map(([key, hits]) => {
    const c = hits.find((h) => h.c)?.c;
    const vendor = c && c.source !== 'filter-list';
    const hosts = [...new Set(hits.map(({ o }) => o.host))];
    const label = vendor ? `${c.vendorName} (${c.entity})` : key;
    const what = !c
      ? text('finding.undeclaredThirdParty.unknown')
      : vendor
        ? text('finding.undeclaredThirdParty.vendor', { category: categoryText(c.category), entity: c.entity })
        : text('finding.undeclaredThirdParty.filterList', {
            list: c.sourceName ?? text('word.aFilterList'),
            matchedBy: c.matchedBy,
          });
    return finding(ctx, 'undeclared-third-party', {
      subject: { kind: vendor ? 'vendor' : 'host', key, label },
      message: findingMessage(
        'undeclared-third-party',
        { name: vendor ? c.vendorName : key },
        { count: hits.length, hosts: hosts.join(', '), what, named },
      ),
      ...(c ? { category: c.category, classifiedBy: c } : {}),
      policyRefs: recipientRefs(policy),
      evidence: hits.map(({ o }) => evidenceOf(o)),
    });
  });
}
