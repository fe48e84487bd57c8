/**
 * What a consent control means as a decision: accept, refuse or customise, from the kind its words
 * say (lib/consent/control-words.ts). A real click corroborates only a page-reported decision of the
 * same kind, so a click on "Tout refuser" can never confirm an "accept" the page then claims, and a
 * real click on an accept or refuse control is itself a decision (lib/engine/phases.ts). Settings,
 * close, withdraw and unknown labels are no decision.
 */
import type { ConsentDecision } from '../observations';
import { classifyLabel, type ControlKind } from './control-words';

/** The decision a control kind makes, if any: save in a settings layer is a customised choice. */
export function decisionOfKind(kind: ControlKind | undefined): ConsentDecision | undefined {
  switch (kind) {
    case 'accept':
      return 'accept';
    case 'refuse':
      return 'reject';
    case 'save':
    case 'settings':
      return 'custom';
    default:
      return undefined;
  }
}

/** The decision one label (visible text, or attributes such as id and classes) means. */
export function controlKind(label: string): ConsentDecision | undefined {
  return decisionOfKind(classifyLabel(label.slice(0, 400), { maxLength: 400 })?.kind);
}
