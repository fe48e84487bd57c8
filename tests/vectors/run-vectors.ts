/**
 * Loads rule vectors: `{ rule, cases: [{ name, policy, observations, expected }] }`. Observations
 * are written compactly; this fills the fields every record carries (seq in order, tab, frame,
 * top site) and normalises requests through the same code the extension uses.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestObservation } from '../../lib/collectors/normalize';
import type { RawRequestBody } from '../../lib/collectors/request-body';
import { hashDigests } from '../../lib/collectors/sync-digests';
import { identifierDigests } from '../../lib/identifiers';
import { withSharedIdentifiers } from '../../lib/report/shared-identifiers';
import type { Observation } from '../../lib/observations';
import type { DeclaredPolicy } from '../../lib/policy/types';
import { builtinKnowledge, createClassifier } from '../../lib/knowledge/classify';
import type { Knowledge } from '../../lib/knowledge/types';
import { parseFilterList } from '../../lib/knowledge/filter-list';
import { parseOpenCookieDatabase } from '../../lib/knowledge/import-ocd';
import { createLayeredClassifier } from '../../lib/knowledge/layered';
import type { Finding } from '../../lib/findings';

export interface CompactObservation {
  kind: Observation['kind'];
  /** ISO time; defaults to one second after the previous observation. */
  at?: string;
  [field: string]: unknown;
}

export interface ExpectedFinding {
  id: string;
  severity?: string;
  phase?: string;
  /** Sequence numbers of the evidence, in order. */
  evidence: number[];
  requestedLifetimeDays?: number;
  effectiveLifetimeDays?: number;
  /** `judged` of the first evidence: which expiry the lifetime was judged on. */
  judged?: 'requested' | 'effective';
  /** `subject.kind` of the finding. */
  subjectKind?: string;
  category?: string;
  /** `<source>` or `<source>: <matchedBy>` of `classifiedBy`; `null` when nothing classified the subject. */
  classifiedBy?: string | null;
  /** Sections of `policyRefs`, in order. */
  policySections?: string[];
}

export interface VectorCase {
  name: string;
  /** A policy id under `policies/`, or fields that replace those of `extends` (default o2toit.com). */
  policy?: string | (Partial<DeclaredPolicy> & { extends?: string });
  /** Imported knowledge layered after the built-in base: an OCD CSV and/or a filter list, inline. */
  knowledge?: { ocd?: string; filters?: string };
  topSite?: string;
  observations: CompactObservation[];
  expected: ExpectedFinding[];
}

export interface VectorFile {
  rule: Finding['rule'];
  cases: VectorCase[];
  file: string;
}

const builtin = createClassifier(builtinKnowledge);

const BASE = Date.parse('2026-03-10T09:00:00.000Z');

export function loadVectorFiles(dir: string): VectorFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<VectorFile, 'file'>), file: f }));
}

const toTime = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : (v as number | undefined));

/**
 * A cookie's or storage write's `value` (vectors only: recorded observations never keep one) becomes
 * its digests, as the collectors compute them; requests carrying one are then matched to it
 * (lib/report/shared-identifiers.ts), as a report does.
 */
function digested(fields: Record<string, unknown>): Record<string, unknown> {
  if (typeof fields.value !== 'string') return fields;
  const { value, ...rest } = fields;
  return {
    ...rest,
    valueDigests: identifierDigests(value),
    ...(rest.kind === 'cookie' || rest.kind === 'storage' ? { hashDigests: hashDigests(value) } : {}),
  };
}

/**
 * A request's `body` in a vector, as webRequest hands it over: `{ "form": { name: value } }` as
 * parsed fields, `{ "text": "..." }` or `{ "json": ... }` as raw UTF-8 bytes.
 */
function requestBodyOf(body: unknown): { requestBody?: RawRequestBody } {
  if (!body || typeof body !== 'object') return {};
  const b = body as { form?: Record<string, string>; text?: string; json?: unknown };
  if (b.form)
    return { requestBody: { formData: Object.fromEntries(Object.entries(b.form).map(([k, v]) => [k, [v]])) } };
  const text = b.text ?? JSON.stringify(b.json);
  return { requestBody: { raw: [{ bytes: new TextEncoder().encode(text).buffer }] } };
}

export function expandObservations(compact: CompactObservation[], topSite = 'o2toit.com'): Observation[] {
  return withSharedIdentifiers(expandCompact(compact, topSite));
}

function expandCompact(compact: CompactObservation[], topSite: string): Observation[] {
  let time = BASE;
  return compact.map((c, i) => {
    time = c.at ? Date.parse(c.at) : time + 1000;
    const seq = i + 1;
    const { at: _at, ...raw } = c;
    const fields = digested(raw);
    if (c.kind === 'request') {
      const base = requestObservation(
        {
          requestId: String(seq),
          url: String(c.url),
          method: (c.method as string) ?? 'GET',
          type: (c.type as string) ?? 'script',
          tabId: 1,
          frameId: 0,
          timeStamp: time,
          ...requestBodyOf(c.body),
        },
        topSite,
      );
      const lifecycle = {
        ...(c.prerendered !== undefined ? { prerendered: String(c.prerendered) } : {}),
        ...(c.fromServiceWorker ? { fromServiceWorker: true } : {}),
      };
      return { ...base, ...lifecycle, seq } as Observation;
    }
    const common = { seq, time, tabId: 1, frameId: 0, url: `https://www.${topSite}/`, topSite };
    if (c.kind === 'cookie') {
      const via = (c.via as string) ?? 'set-cookie-header';
      return {
        ...common,
        source: via === 'cookies-api' ? 'cookies-api' : via === 'set-cookie-header' ? 'webRequest' : 'page-hook',
        action: 'set',
        path: '/',
        via,
        session: c.requestedExpiry === undefined && c.effectiveExpiry === undefined,
        ...fields,
        ...(c.requestedExpiry !== undefined ? { requestedExpiry: toTime(c.requestedExpiry) } : {}),
        ...(c.effectiveExpiry !== undefined ? { effectiveExpiry: toTime(c.effectiveExpiry) } : {}),
      } as Observation;
    }
    if (c.kind === 'page') return { ...common, source: 'webNavigation', ...fields } as Observation;
    return { ...common, source: 'extension', trusted: true, how: 'vector', ...fields } as Observation;
  });
}

/** A shipped policy by id (`policies/<id>.json`), or fields replacing those of the one it extends. */
export function policyFor(spec: VectorCase['policy']): DeclaredPolicy {
  const load = (id: string) =>
    JSON.parse(readFileSync(join(import.meta.dirname, `../../policies/${id}.json`), 'utf8')) as DeclaredPolicy;
  if (spec === undefined) return load('o2toit.com');
  if (typeof spec === 'string') return load(spec);
  const { extends: base = 'o2toit.com', ...fields } = spec;
  return { ...load(base), ...fields };
}

/** The built-in base, then the case's own imports, as the extension layers them. */
export function knowledgeFor(spec: VectorCase['knowledge']): Knowledge {
  if (!spec) return builtin;
  const layers: Knowledge[] = [builtin];
  if (spec.ocd) {
    const parsed = parseOpenCookieDatabase(spec.ocd, 'vector.csv');
    if (!parsed.ok) throw new Error(`vector OCD: ${JSON.stringify(parsed.errors)}`);
    layers.push(createClassifier(parsed.kb, 'open-cookie-database', 'vector.csv'));
  }
  if (spec.filters) {
    const parsed = parseFilterList(spec.filters, 'vector.txt');
    if (!parsed.ok) throw new Error(`vector filters: ${JSON.stringify(parsed.errors)}`);
    layers.push(parsed.classifier);
  }
  return createLayeredClassifier(layers);
}
