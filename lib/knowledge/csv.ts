/**
 * A small RFC 4180 CSV reader for imported lists: quoted fields, doubled quotes, commas and line
 * breaks inside quotes, CRLF or LF, a leading byte-order mark. Each record keeps the line it starts
 * on, so an import error can name the line a person sees in an editor or a spreadsheet.
 */

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

/** A problem in an imported file, at a line and, when known, a named field (column). */
export interface ImportIssue {
  line: number;
  field?: string;
  message: string;
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; errors: ImportIssue[] };

/** Splits `text` into records. Blank lines are skipped. Stops at the first syntax error, which it locates. */
export function parseCsv(text: string): CsvResult {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= text.length) {
            return fail(quoteLine, `a quoted field (field ${fields.length + 1}) is never closed`);
          }
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          value += c;
          i++;
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          return fail(line, `unexpected text after the closing quote of field ${fields.length + 1}`);
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"')
            return fail(
              line,
              `a quote inside unquoted field ${fields.length + 1}: quote the whole field and double the quote`,
            );
          value += text[i];
          i++;
        }
      }
      fields.push(value);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // End of record: CRLF, LF, lone CR, or end of text.
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
  }
  return { ok: true, records };
}

function fail(line: number, message: string): CsvResult {
  return { ok: false, errors: [{ line, message }] };
}
