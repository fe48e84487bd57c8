import type { Evidence } from '../findings';
import { render, type Text } from '../i18n';

/**
 * A piece of evidence with an explanatory note written by the engine: `noteText` lets each renderer
 * write it in the reader's language; `note` keeps its English for JSON readers and older viewers.
 */
export function withNote(e: Evidence, note: Text): Evidence {
  e.note = render('en', note);
  e.noteText = note;
  return e;
}
