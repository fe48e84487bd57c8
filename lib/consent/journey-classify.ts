/**
 * What a banner control means, for the journeys: accept, refuse, settings, close, withdraw or save,
 * by the word lists of lib/consent/control-words.ts (the same classification as banner detection).
 */
import { classifyControl as classifyWords, consentWords } from './control-words';
import type { ControlClass } from '../journey';

/** The meaning of a control's label (and role: a `switch` is never a choice), or null when unknown. */
export function classifyControl(text: string, role?: string): ControlClass | null {
  return classifyWords({ text, ...(role ? { role } : {}) })?.kind ?? null;
}

/** Whether a text speaks of cookies or consent: a "settings" control elsewhere on the page must. */
export const aboutConsent = (text: string): boolean => consentWords(text).length > 0;

/** Words that say a purpose is strictly necessary (exempt from consent, so checked by default is fine). */
export const NECESSARY_WORDS =
  /n[ée]cessaire|necessary|essenti|strictement|strictly|required|obligatoire|indispensable|technique/i;
