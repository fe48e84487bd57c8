/**
 * The script that made a page-world write: the first URL in the stack trace that is not the
 * extension's own hook. Chrome formats frames as `at fn (https://…/x.js:1:2)`, Firefox as
 * `fn@https://…/x.js:1:2`; both are handled by looking for URLs with a line:column suffix.
 */
export function initiatorFromStack(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  for (const match of stack.matchAll(/((?:https?|file):\/\/[^\s)]+?):\d+:\d+/g)) {
    const url = match[1]!;
    if (!/^(?:chrome|moz)-extension:/.test(url)) return url;
  }
  return undefined;
}
