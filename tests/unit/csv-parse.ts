/** A tiny strict RFC 4180 parser, for tests of the CSV exports (unit and end-to-end). */

/** RFC 4180, strictly: CRLF rows, quoted fields with doubled quotes; the BOM is stripped first. */
export function parseCsv(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error('no byte-order mark');
  const s = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < s.length) {
    let field = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('unterminated quoted field');
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += s[i++];
      }
    } else {
      while (i < s.length && s[i] !== ',' && s[i] !== '\r') {
        if (s[i] === '"' || s[i] === '\n') throw new Error(`bare ${JSON.stringify(s[i])} in an unquoted field at ${i}`);
        field += s[i++];
      }
    }
    row.push(field);
    if (s[i] === ',') i++;
    else if (s[i] === '\r' && s[i + 1] === '\n') {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`expected , or CRLF at ${i}`);
  }
  if (row.length) throw new Error('last row without CRLF');
  return rows;
}
