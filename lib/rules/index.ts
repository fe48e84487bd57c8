import type { AuditContext } from '../engine/context';
import type { Finding, RuleId } from '../findings';
import { consentSignalBeforeDecision } from './consent-signal-before-decision';
import { cookieBeforeConsent } from './cookie-before-consent';
import { cookieLifetimeExceedsPolicy } from './cookie-lifetime-exceeds-policy';
import { fingerprintingBeforeConsent } from './fingerprinting-before-consent';
import { identifierSharedWithThirdParty } from './identifier-shared-with-third-party';
import { recaptchaBeforeConsent } from './recaptcha-before-consent';
import { storageBeforeConsent } from './storage-before-consent';
import { trackerBeforeConsent } from './tracker-before-consent';
import { trackingAfterRefusal } from './tracking-after-refusal';
import { trackingAfterWithdrawal } from './tracking-after-withdrawal';
import { withdrawalNotFound } from './withdrawal-not-found';
import { consentNotRemembered } from './consent-not-remembered';
import { refusalHarderThanAcceptance } from './refusal-harder-than-acceptance';
import { preTickedChoices } from './pre-ticked-choices';
import { unclassifiedCookie } from './unclassified-cookie';
import { undeclaredCategory } from './undeclared-category';
import { undeclaredThirdParty } from './undeclared-third-party';

export type Rule = (ctx: AuditContext) => Finding[];

/**
 * Every rule, by id. `satisfies` makes a rule id of RULE_IDS (lib/findings.ts) without a rule here,
 * or a rule here with no id there, a compile error. Adding a rule: its id in RULE_IDS, its function
 * here, its entry in catalog.json, its row in the README's rule table and its vectors in
 * tests/vectors/rules/ (docs/architecture.md).
 */
export const RULES = {
  'cookie-lifetime-exceeds-policy': cookieLifetimeExceedsPolicy,
  'tracker-before-consent': trackerBeforeConsent,
  'recaptcha-before-consent': recaptchaBeforeConsent,
  'cookie-before-consent': cookieBeforeConsent,
  'storage-before-consent': storageBeforeConsent,
  'fingerprinting-before-consent': fingerprintingBeforeConsent,
  'identifier-shared-with-third-party': identifierSharedWithThirdParty,
  'tracking-after-refusal': trackingAfterRefusal,
  'tracking-after-withdrawal': trackingAfterWithdrawal,
  'withdrawal-not-found': withdrawalNotFound,
  'consent-not-remembered': consentNotRemembered,
  'refusal-harder-than-acceptance': refusalHarderThanAcceptance,
  'pre-ticked-choices': preTickedChoices,
  'consent-signal-before-decision': consentSignalBeforeDecision,
  'undeclared-third-party': undeclaredThirdParty,
  'undeclared-category': undeclaredCategory,
  'unclassified-cookie': unclassifiedCookie,
} satisfies Record<RuleId, Rule>;
