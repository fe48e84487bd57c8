/**
 * A rich report for the renderer tests: a generated visit of the o2toit fixture (cookies, storage,
 * trackers, consent) built by the real engine, so rows are computed from the engine's own output.
 */
import { builtinKnowledge } from '../../lib/knowledge/classify';
import { buildReport } from '../../lib/report/build-report';
import type { AuditReport } from '../../lib/report/types';
import { mixedObservations } from '../../scripts/bench/corpus';
import { reportInput } from './report-input';

let cached: AuditReport | undefined;

/** The same report each call (a deep copy: tests may change theirs). */
export function richReport(): AuditReport {
  cached ??= buildReport(reportInput(mixedObservations(builtinKnowledge, 400)));
  return structuredClone(cached);
}

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
