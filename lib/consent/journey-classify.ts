/**
 * What a banner control means, for the journeys: accept, refuse, settings, close, withdraw or save.
 * Withdraw and save words are tried first ("Retirer mon consentement" holds an acceptance word, "Enregistrer
 * mes choix" a settings one), then the decision words of lib/consent/control-kind.ts, which try refusal
 * before acceptance ("Continuer sans accepter"). Word lists written from the labels of public banners.
 */
import { controlKind } from './control-kind';
import type { ControlClass } from '../journey';

const normal = (label: string) =>
  label
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .normalize('NFC')
    .replace(/[_#.-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const WITHDRAW = [/\bretir/, /\bwithdraw/, /\brevo(?:ke|quer)/, /\br[ée]voquer\b/, /\bchange (?:my )?consent\b/];
const SAVE = [/\benregistrer\b/, /\bsauvegarder\b/, /\bvalider\b/, /\bsave\b/, /\bconfirm(?:er)?\b/, /\bsubmit\b/];
const CLOSE = [/^(?:x|×|✕|✖)$/, /^close\b/, /^fermer\b/];

/** The meaning of a control's label (and role: a `switch` is never a choice), or null when unknown. */
export function classifyControl(text: string, role?: string): ControlClass | null {
  if (role === 'switch' || role === 'checkbox') return null;
  const label = normal(text);
  if (!label || label.length > 120) return null;
  if (WITHDRAW.some((r) => r.test(label))) return 'withdraw';
  if (CLOSE.some((r) => r.test(label))) return 'close';
  const kind = controlKind(label);
  if (kind === 'reject') return 'refuse';
  if (kind === 'accept') return SAVE.some((r) => r.test(label)) ? 'save' : 'accept';
  if (kind === 'custom') return SAVE.some((r) => r.test(label)) ? 'save' : 'settings';
  return SAVE.some((r) => r.test(label)) ? 'save' : null;
}

/** Words that say a label is about cookies or consent: a "settings" link elsewhere on the page must have one. */
export const CONSENT_WORDS = /cookie|traceur|consent|vie priv[ée]e|privacy|confidentialit|donn[ée]es personnelles/i;

/** Words that say a purpose is strictly necessary (exempt from consent, so checked by default is fine). */
export const NECESSARY_WORDS =
  /n[ée]cessaire|necessary|essenti|strictement|strictly|required|obligatoire|indispensable|technique/i;
