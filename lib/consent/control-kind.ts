/**
 * What a consent control means, from its label (text, `aria-label`, `value`, `title`, id, classes):
 * accept, refuse or customise. A real click corroborates only a page-reported decision of the
 * same kind, so a click on "Tout refuser" can never confirm an "accept" the page then claims.
 * Refusal words are tried first, because refusal labels often contain an acceptance word
 * ("Continuer sans accepter", "Do not accept"). Unknown labels mean nothing: they corroborate nothing.
 */
import type { ConsentDecision } from '../observations';

const REJECT = [
  /\bsans\s+accepter\b/,
  /\bne\s+pas\s+accepter\b/,
  /\b(?:do\s+not|don'?t)\s+(?:accept|agree|allow)\b/,
  /\brefus/,
  /\breject/,
  /\bdeny\b/,
  /\bdenied\b/,
  /\bdecline/,
  /\bdisagree/,
  /\bdismiss\b/,
  /\bopt[-\s]?out\b/,
  /\bno\s+thanks\b/,
  /\bnon\s+merci\b/,
  /\bnecessary\s+only\b/,
  /\bessential\s+only\b/,
  /\bonly\s+(?:necessary|essential)\b/,
  /\bn[ée]cessaires?\s+uniquement\b/,
  /\buniquement\s+(?:les\s+)?(?:cookies\s+)?n[ée]cessaires\b/,
];
const CUSTOM = [
  /\bpersonnalis/,
  /\bparam[eé]tr/,
  /\bcustomi[sz]/,
  /\bpreferences?\b/,
  /\bpr[ée]f[ée]rences\b/,
  /\bsettings\b/,
  /\bmanage\b/,
  /\bg[ée]rer\b/,
  /\bsave\b/,
  /\benregistrer\b/,
  /\bconfirm\s+(?:my\s+)?choices\b/,
  /\bchoices\b/,
  /\bchoix\b/,
];
const ACCEPT = [
  /\baccept/,
  /\bj'?accepte\b/,
  /\bagree/,
  /\ballow/,
  /\bautoris/,
  /\bconsent/,
  /\bok\b/,
  /\bokay\b/,
  /\bgot\s+it\b/,
  /\bd'?accord\b/,
  /\byes\b/,
  /\boui\b/,
];

export function controlKind(label: string): ConsentDecision | undefined {
  const text = label
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .normalize('NFC')
    .replace(/[_#.-]+/g, ' ')
    .replace(/\s+/g, ' ');
  if (REJECT.some((r) => r.test(text))) return 'reject';
  if (CUSTOM.some((r) => r.test(text))) return 'custom';
  if (ACCEPT.some((r) => r.test(text))) return 'accept';
  return undefined;
}
