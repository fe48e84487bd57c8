import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import type { Phased } from '../engine/phases';
import type { Finding } from '../findings';
import { text } from '../i18n';
import type { FingerprintObservation } from '../observations';
import { consentMoment, finding, findingMessage, groupBy } from './finding';

/** Phases in which no consent covers a probe: before any decision, after a refusal or a withdrawal. */
const UNCONSENTED = new Set(['before-consent', 'after-reject', 'after-withdrawal']);

/**
 * A fingerprinting probe (canvas readback, WebGL unmasked renderer, OfflineAudioContext rendering,
 * font enumeration: heuristics in lib/collectors/fingerprint.ts) made before consent or after the
 * visitor refused, by any script, first- or third-party. EDPB Guidelines 2/2023 read art. 5(3)
 * ePrivacy (art. 82 of the Loi Informatique et Libertés) as covering any reading of information
 * from the terminal, so fingerprinting needs consent as cookies do; there is no exempt category for
 * it. One finding per script (its URL from the stack; the page itself when unknown).
 *
 * The probes rest on the page-world hook's report (untrusted): a page can hide them, so absence
 * proves nothing, and a page can make one of its scripts look like another; either way the probe
 * ran on the audited site, which is answerable for the scripts it embeds.
 */
export function fingerprintingBeforeConsent(ctx: AuditContext): Finding[] {
  const hits: Array<Phased<FingerprintObservation>> = [];
  for (const o of ctx.byKind.fingerprint) if (o.phase && UNCONSENTED.has(o.phase)) hits.push(o);
  return [...groupBy(hits, (o) => o.initiator ?? o.url)].map(([script, group]) => {
    const techniques = [...new Set(group.map((o) => o.technique))];
    const c = ctx.classify.url(script, 'script', `https://${group[0]!.topSite}/`);
    const refused = group.every((o) => o.phase !== 'before-consent');
    return finding(ctx, 'fingerprinting-before-consent', {
      subject: { kind: 'script', key: script, label: script },
      message: findingMessage(
        'fingerprinting-before-consent',
        { script, techniques: techniques.join(', ') },
        {
          script,
          vendor: c ? text('finding.fingerprintingBeforeConsent.vendor', { vendor: c.vendorName }) : '',
          details: group.map((o) => o.detail).join('; '),
          moment: refused ? text('finding.fingerprintingBeforeConsent.afterRefusal') : consentMoment(ctx),
        },
      ),
      ...(c ? { category: c.category, classifiedBy: c } : {}),
      policyRefs: [],
      evidence: group.map((o) => evidenceOf(o)),
    });
  });
}
