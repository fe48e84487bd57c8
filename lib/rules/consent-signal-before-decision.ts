import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import { withNote } from '../engine/evidence-note';
import { text } from '../i18n';
import type { Evidence, Finding } from '../findings';
import { consentMoment, finding, findingMessage } from './finding';

/**
 * A consent signal that says "granted" before the visitor decided: a Google Consent Mode hit with
 * ad_storage or analytics_storage granted, or an IAB TC string with purposes consented (Matte,
 * Bielova and Santos found 141 of 1,426 TCF sites doing this). Silence is refusal, so a positive
 * signal sent before any choice misinforms every vendor that relies on it.
 */
export function consentSignalBeforeDecision(ctx: AuditContext): Finding[] {
  const consentMode: Evidence[] = [];
  const tcf: Evidence[] = [];
  for (const o of ctx.byKind.request) {
    if (o.phase !== 'before-consent') continue;
    if (o.consentMode?.adStorage === 'granted' || o.consentMode?.analyticsStorage === 'granted') {
      consentMode.push({
        ...evidenceOf(o),
        note: `gcs=${o.consentMode.gcs ?? '?'}: ad_storage ${o.consentMode.adStorage ?? '?'}, analytics_storage ${o.consentMode.analyticsStorage ?? '?'}${o.consentMode.gcd ? `; gcd=${o.consentMode.gcd}` : ''}`,
      });
    }
  }
  for (const o of ctx.byKind.consent) {
    if (o.phase !== 'before-consent') continue;
    if (o.tcf && o.tcf.purposeConsents.length > 0) {
      const params = { cmp: o.tcf.cmpId, purposes: o.tcf.purposeConsents.join(', '), how: o.how };
      tcf.push(withNote(evidenceOf(o), text('evidenceNote.tcfBeforeDecision', params)));
    }
  }
  const findings: Finding[] = [];
  if (consentMode.length) {
    findings.push(
      finding(ctx, 'consent-signal-before-decision', {
        subject: { kind: 'vendor', key: 'google-consent-mode', label: 'Google Consent Mode' },
        message: findingMessage(
          'consent-signal-before-decision',
          {},
          { count: consentMode.length, moment: consentMoment(ctx) },
          { title: 'consentModeTitle', detail: 'consentModeDetail' },
        ),
        policyRefs: [],
        evidence: consentMode,
      }),
    );
  }
  if (tcf.length) {
    findings.push(
      finding(ctx, 'consent-signal-before-decision', {
        subject: { kind: 'vendor', key: 'iab-tcf', label: 'IAB TCF consent string' },
        message: findingMessage(
          'consent-signal-before-decision',
          {},
          { count: tcf.length, moment: consentMoment(ctx) },
          { title: 'tcfTitle', detail: 'tcfDetail' },
        ),
        policyRefs: [],
        evidence: tcf,
      }),
    );
  }
  return findings;
}
