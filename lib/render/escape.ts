/**
 * Escaping for the HTML report. Every string of a report may come from the audited page (cookie
 * names, URLs, storage keys, banner texts), so escaping here is a security property: the exported
 * file is opened by a lawyer, and a page must not be able to run script or load anything in it.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text or attribute value: every character that could end a text run or a quoted attribute is escaped. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

/**
 * A link target, only for http(s) URLs (legal references, audited pages): `javascript:`, `data:`
 * and anything unparsable give undefined, and the caller shows text instead of a link.
 */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A tagged template that escapes every interpolated value unless it is already {@link Html}. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | boolean | undefined | null | Part[];

function part(value: Part): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(part).join('');
  return escapeHtml(value);
}

/** `html\`<td>${text}</td>\`` : text is escaped, nested `html` fragments and arrays of them are kept. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += part(v) + strings[i + 1]!));
  return new Html(out);
}
