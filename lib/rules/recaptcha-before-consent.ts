import type { AuditContext } from '../engine/context';
import { evidenceOf, evidenceOfCookieWrite } from '../engine/evidence';
import type { Evidence, Finding } from '../findings';
import type { Classification } from '../knowledge/types';
import { ruleMeta } from './catalog';
import { consentMoment, finding, findingMessage } from './finding';
import { text } from '../i18n';
import { isBaseline } from '../policy/baseline';

/**
 * Any reCAPTCHA script, frame, request or cookie before a consent decision. The CNIL holds that
 * reCAPTCHA needs consent (reply of April 2022; Cityscoot fine, March 2023), whatever legal basis
 * a policy claims.
 */
export function recaptchaBeforeConsent(ctx: AuditContext): Finding[] {
  const vendors = new Set(ruleMeta('recaptcha-before-consent').vendors ?? []);
  let classifiedBy: Classification | undefined;
  const evidence: Evidence[] = [];
  for (const o of ctx.byKind.request) {
    if (o.phase !== 'before-consent') continue;
    const c = ctx.classify.request(o);
    if (c && vendors.has(c.vendorId)) {
      classifiedBy ??= c;
      evidence.push(evidenceOf(o));
    }
  }
  for (const w of ctx.cookieWrites) {
    if (w.phase !== 'before-consent' || w.deletes) continue;
    const c = ctx.classify.knownCookie(w);
    if (c && vendors.has(c.vendorId)) {
      classifiedBy ??= c;
      evidence.push(evidenceOfCookieWrite(w));
    }
  }
  if (!classifiedBy) return [];
  const declared = ctx.policy.thirdParties.filter((t) => vendors.has(t.vendor));
  const kinds = new Set(evidence.map((e) => e.requestType ?? e.kind));
  const basis = declared[0]?.legalBasis;
  return [
    finding(ctx, 'recaptcha-before-consent', {
      subject: { kind: 'vendor', key: classifiedBy.vendorId, label: classifiedBy.vendorName },
      message: findingMessage(
        'recaptcha-before-consent',
        {},
        {
          count: evidence.length,
          kinds: [...kinds].join(', '),
          moment: consentMoment(ctx),
          policySays: declared.length
            ? text('finding.recaptchaBeforeConsent.declared', {
                basis: basis ? text('finding.recaptchaBeforeConsent.basis', { basis }) : '',
              })
            : text(
                isBaseline(ctx.policy)
                  ? 'finding.recaptchaBeforeConsent.noPolicy'
                  : 'finding.recaptchaBeforeConsent.undeclared',
              ),
        },
      ),
      category: classifiedBy.category,
      classifiedBy,
      policyRefs: declared.flatMap((t) => t.refs),
      evidence,
    }),
  ];
}
