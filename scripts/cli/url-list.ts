/**
 * The `--urls FILE` list: one URL a line, optionally followed by the declared-policy file to audit it
 * against (after spaces, or after a tab when the path has spaces). Blank lines and lines starting
 * with `#` are skipped, as is a ` #` comment at the end of a line. A line without a policy is
 * audited against the extension's policy for its site, else against the law's baseline. Pure: text
 * in, entries or a one-line reason out.
 */
import { isAbsolute, join } from 'node:path';
import { targetUrl } from './parse-args.ts';

export interface ListEntry {
  /** 1-based line in the file. */
  line: number;
  url: string;
  /** Policy file, resolved against the list's folder. */
  policy?: string;
}

export type ListParse = { ok: true; entries: ListEntry[] } | { ok: false; message: string };

/** At most this many lines a list: more is a mistake (a log pasted by accident), not an audit plan. */
export const MAX_LIST_ENTRIES = 1000;

/** Parses the list's text; `file` names it in messages, `dir` is where relative policy paths start. */
export function parseUrlList(text: string, file: string, dir: string): ListParse {
  const entries: ListEntry[] = [];
  const seen = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const at = `${file} line ${line}`;
    // A `#` starts a comment at the start of a line or after a blank; a URL's own `#fragment` stays.
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!content) continue;
    const fields = raw.includes('\t')
      ? content
          .split('\t')
          .map((f) => f.trim())
          .filter(Boolean)
      : content.split(/\s+/);
    if (fields.length > 2)
      return {
        ok: false,
        message: `${at}: one URL and at most one policy file expected, got ${fields.length} fields (separate a path with spaces by a tab)`,
      };
    const url = targetUrl(fields[0]!);
    if (typeof url === 'string') return { ok: false, message: `${at}: ${url}` };
    const previous = seen.get(url.href);
    if (previous !== undefined) return { ok: false, message: `${at}: ${url.href} is already on line ${previous}` };
    seen.set(url.href, line);
    const policy = fields[1];
    entries.push({
      line,
      url: url.href,
      ...(policy !== undefined ? { policy: isAbsolute(policy) ? policy : join(dir, policy) } : {}),
    });
    if (entries.length > MAX_LIST_ENTRIES) return { ok: false, message: `${file}: more than ${MAX_LIST_ENTRIES} URLs` };
  }
  if (!entries.length) return { ok: false, message: `${file} lists no URL` };
  return { ok: true, entries };
}
