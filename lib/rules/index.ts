import type { AuditContext } from '../engine/context';
import type { Finding, RuleId } from '../report/types';
import { consentSignalBeforeDecision } from './consent-signal-before-decision';
import { cookieBeforeConsent } from './cookie-before-consent';
import { cookieLifetimeExceedsPolicy } from './cookie-lifetime-exceeds-policy';
import { recaptchaBeforeConsent } from './recaptcha-before-consent';
import { storageBeforeConsent } from './storage-before-consent';
import { trackerBeforeConsent } from './tracker-before-consent';
import { trackingAfterRefusal } from './tracking-after-refusal';
import { unclassifiedCookie } from './unclassified-cookie';
import { undeclaredCategory } from './undeclared-category';
import { undeclaredThirdParty } from './undeclared-third-party';

export type Rule = (ctx: AuditContext) => Finding[];

/** Every implemented rule, by id. Adding a rule means adding it here, to catalog.json, and its vectors. */
export const RULES: Partial<Record<RuleId, Rule>> = {
  'cookie-lifetime-exceeds-policy': cookieLifetimeExceedsPolicy,
  'tracker-before-consent': trackerBeforeConsent,
  'recaptcha-before-consent': recaptchaBeforeConsent,
  'cookie-before-consent': cookieBeforeConsent,
  'storage-before-consent': storageBeforeConsent,
  'tracking-after-refusal': trackingAfterRefusal,
  'consent-signal-before-decision': consentSignalBeforeDecision,
  'undeclared-third-party': undeclaredThirdParty,
  'undeclared-category': undeclaredCategory,
  'unclassified-cookie': unclassifiedCookie,
};
