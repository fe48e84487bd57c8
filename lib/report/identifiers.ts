/**
 * Nothing leaks: before a report is built, identifiers in every recorded URL are redacted (hash and
 * length, like cookie values) unless the auditor explicitly asked to keep them. Redaction happens
 * here, where the whole audit is at hand, so a request recorded *before* the cookie whose value
 * it carries is still caught: the cookie and storage observations bring digests of their values
 * (`valueDigests`), never the values, and the digests themselves are dropped from the report.
 */
import { redactUrl } from '../identifiers';
import type { Observation } from '../observations';
import { redactPart, withSharedIdentifiers } from './shared-identifiers';

/** `redacted` (default) or `kept` (`--keep-identifiers`, the extension's stored setting). */
export type IdentifierMode = 'redacted' | 'kept';

/**
 * `storage.local` key of the extension's setting: `true` keeps identifiers in reports (internal use
 * only). The background reads it each time it builds a report; the command line sets it for
 * `--keep-identifiers` before the first page loads.
 */
export const KEEP_IDENTIFIERS_KEY = 'settings:keepIdentifiers';

/** Digests of every recorded cookie and web-storage value of the audit. */
export function knownValueDigests(observations: readonly Observation[]): Set<string> {
  const known = new Set<string>();
  for (const o of observations)
    if (o.kind === 'cookie' || o.kind === 'storage') {
      for (const d of o.valueDigests ?? []) known.add(d);
      // A parameter carrying a hash of a cookie or stored value is that identifier too.
      for (const h of o.hashDigests ?? []) known.add(h.slice(h.indexOf(':') + 1));
    }
  return known;
}

/**
 * The observations as the report shows them: identifiers shared with another site named on their
 * requests (lib/report/shared-identifiers.ts), URLs redacted (unless kept), with the URL part that
 * carried a shared identifier (a path segment, base64 text) too, and value digests dropped.
 */
export function reportableObservations(recorded: readonly Observation[], mode: IdentifierMode): Observation[] {
  const observations = withSharedIdentifiers(recorded);
  const known = knownValueDigests(observations);
  // A long session repeats its URLs (the page, its scripts, a beacon): each is redacted once.
  const redacted = new Map<string, string>();
  const redact = (url: string) => {
    let out = redacted.get(url);
    if (out === undefined) redacted.set(url, (out = redactUrl(url, known)));
    return out;
  };
  return observations.map((o) => {
    let out: Observation = o;
    if (o.kind === 'cookie' && (o.valueDigests || o.hashDigests)) {
      const { valueDigests: _, hashDigests: __, ...rest } = o;
      out = rest as Observation;
    } else if (o.kind === 'storage' && (o.valueDigests || o.hashDigests)) {
      const { valueDigests: _, hashDigests: __, ...rest } = o;
      out = rest as Observation;
    } else if (o.kind === 'request' && o.carried) {
      const { carried: _, ...rest } = o;
      out = rest as Observation;
    }
    if (mode === 'kept') return out;
    const shared = out.kind === 'request' ? out.sharedIdentifiers : undefined;
    const url = shared ? redact(shared.reduce((u, s) => redactPart(u, s.at), out.url)) : redact(out.url);
    const initiator = 'initiator' in out && out.initiator ? redact(out.initiator) : undefined;
    if (url === out.url && initiator === ('initiator' in out ? out.initiator : undefined)) return out;
    return { ...out, url, ...(initiator !== undefined ? { initiator } : {}) } as Observation;
  });
}
