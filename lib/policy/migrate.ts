import type { SchemaError } from '../schema/validate';
import { POLICY_FORMAT_VERSION } from './types';

/**
 * Upgrades a declared-policy document to the current format before it is validated. Each step
 * turns format N into N+1 and says what it did, so a person importing an old file sees why it was
 * accepted. Files newer than this build are refused with a message that says so: guessing at fields
 * we do not know would make the audit cite clauses it does not understand.
 *
 * History (docs/policy-format.md, "Versions"):
 * - 1: first released format.
 * - 2: adds `cookies` (cookies listed by name), `recipients[].vendors` and `recipients[].domains`,
 *   and lets `refs[].section` be any label (`4.2`, `Cookies`), not only roman numerals. Every
 *   format-1 file is a valid format-2 file once its version says 2.
 */

type Doc = Record<string, unknown>;

interface Step {
  /** What the step changed, in one line, for the import report. */
  note: string;
  up(doc: Doc): Doc;
}

const STEPS: Record<number, Step> = {
  1: {
    note: 'format 1 → 2: no field changed (format 2 only adds optional fields)',
    up: (doc) => ({ ...doc, formatVersion: 2 }),
  },
};

export type MigrationResult =
  { ok: true; data: unknown; migratedFrom?: number; notes: string[] } | { ok: false; errors: SchemaError[] };

/** Brings `data` (parsed JSON) to POLICY_FORMAT_VERSION, or says why it cannot. Never throws. */
export function migratePolicyDocument(data: unknown): MigrationResult {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { ok: true, data, notes: [] }; // the schema reports it
  const version = (data as Doc).formatVersion;
  if (version === undefined) {
    return fail(
      `missing: a policy file must say which format it is written in (this build reads 1 to ${POLICY_FORMAT_VERSION})`,
    );
  }
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return fail(`must be an integer format number, got ${JSON.stringify(version)}`);
  }
  if (version > POLICY_FORMAT_VERSION) {
    return fail(
      `format ${version} is newer than this build of Consent Auditor understands (${POLICY_FORMAT_VERSION}): ` +
        'update the extension, or write the file in format ' +
        POLICY_FORMAT_VERSION,
    );
  }
  if (version < 1) return fail(`format ${version} does not exist; the first format is 1`);
  let doc = data as Doc;
  const notes: string[] = [];
  for (let v = version; v < POLICY_FORMAT_VERSION; v++) {
    const step = STEPS[v];
    if (!step) return fail(`no migration from format ${v} (a bug: please report it)`);
    doc = step.up(doc);
    notes.push(step.note);
  }
  return version === POLICY_FORMAT_VERSION
    ? { ok: true, data: doc, notes }
    : { ok: true, data: doc, migratedFrom: version, notes };
}

function fail(message: string): MigrationResult {
  return { ok: false, errors: [{ path: '/formatVersion', message }] };
}
