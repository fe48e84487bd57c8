/**
 * A failed audit: the command stops, prints this one-line message and exits 2. Anything else that
 * escapes is a bug, printed the same way but with its type.
 */
export class AuditFailure extends Error {
  override readonly name = 'AuditFailure';
}

/** First line of an error's message: reasons must fit on one line. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 500);
}
