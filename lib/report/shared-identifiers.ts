/**
 * Cookie syncing, matched where the whole audit is at hand and before anything is redacted: each
 * third-party request brings digests of the values its URL and body carry (`carried`), each cookie
 * and storage write digests of its value (`valueDigests`, and `hashDigests` for its MD5, SHA-1
 * and SHA-256). A request whose digest is an identifier's, sent to a site other than the
 * identifier's own, gets `sharedIdentifiers`: the identifier's name, domain and write, the
 * encoding and the place in the URL, never the value. The rule `identifier-shared-with-third-party`
 * judges them; the digests themselves are dropped from the report (lib/report/identifiers.ts).
 */
import { redactedMark } from '../identifiers';
import type { Observation, RequestObservation, SharedIdentifier } from '../observations';
import { hostOf, siteOf } from '../site';

type Owner = Omit<SharedIdentifier, 'encoding' | 'at'> & { site: string };

/** Identifier owners by digest: raw digests and `<hash>:<digest>` ones, first write first. */
function owners(observations: readonly Observation[]): Map<string, Owner[]> {
  const byDigest = new Map<string, Owner[]>();
  const put = (digest: string, owner: Owner) => {
    const list = byDigest.get(digest);
    if (!list) byDigest.set(digest, [owner]);
    else if (!list.some((o) => o.kind === owner.kind && o.name === owner.name && o.domain === owner.domain))
      list.push(owner);
  };
  const hashed = (digests: readonly string[] | undefined, base: Owner) => {
    for (const h of digests ?? []) {
      const colon = h.indexOf(':');
      put(h.slice(colon + 1), { ...base, hash: h.slice(0, colon) as SharedIdentifier['hash'] });
    }
  };
  for (const o of observations) {
    if (o.kind === 'cookie') {
      if (o.action === 'removed' || o.refused || !o.valueDigests) continue;
      const base = { kind: 'cookie' as const, name: o.name, domain: o.domain, seq: o.seq, site: siteOf(o.domain) };
      for (const d of o.valueDigests) put(d, base);
      hashed(o.hashDigests, base);
    } else if (o.kind === 'storage' && o.valueDigests && (o.action === 'set' || o.action === 'snapshot')) {
      const base = {
        kind: 'storage' as const,
        name: o.key,
        domain: o.origin,
        seq: o.seq,
        site: siteOf(hostOf(o.origin)),
      };
      for (const d of o.valueDigests) put(d, base);
      hashed(o.hashDigests, base);
    }
  }
  return byDigest;
}

/** The identifiers a request carried to another site than theirs; empty when none. */
function sharedBy(r: RequestObservation, byDigest: Map<string, Owner[]>): SharedIdentifier[] {
  const shared: SharedIdentifier[] = [];
  for (const c of r.carried ?? []) {
    for (const { site, ...owner } of byDigest.get(c.digest) ?? []) {
      if (site === r.site) continue;
      if (shared.some((s) => s.kind === owner.kind && s.name === owner.name && s.domain === owner.domain)) continue;
      shared.push({ ...owner, encoding: c.encoding, at: c.at });
    }
  }
  return shared;
}

/** The URL with the part at `at` (`query <name>`, `fragment <name>`, `path <n>`) redacted. */
export function redactPart(url: string, at: string): string {
  const space = at.indexOf(' ');
  const where = at.slice(0, space);
  const name = at.slice(space + 1);
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash);
  const q = beforeHash.indexOf('?');
  const head = q === -1 ? beforeHash : beforeHash.slice(0, q);
  const query = q === -1 ? '' : beforeHash.slice(q);
  const mark = (raw: string) => {
    let value = raw;
    try {
      value = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      // keep the raw text
    }
    return value.startsWith('[redacted:') ? raw : redactedMark(value);
  };
  const inParams = (part: string, lead: string) =>
    lead +
    part
      .slice(1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq <= 0) return pair;
        let key = pair.slice(0, eq);
        try {
          key = decodeURIComponent(key.replace(/\+/g, ' '));
        } catch {
          // keep the raw name
        }
        return key === name ? `${pair.slice(0, eq)}=${mark(pair.slice(eq + 1))}` : pair;
      })
      .join('&');
  if (where === 'query' && query) return head + inParams(query, '?') + fragment;
  if (where === 'fragment' && fragment) return beforeHash + inParams(fragment, '#');
  if (where === 'path') {
    const index = Number(name);
    const scheme = head.indexOf('://');
    const slash = head.indexOf('/', scheme === -1 ? 0 : scheme + 3);
    if (slash === -1 || !Number.isInteger(index)) return url;
    const segments = head.slice(slash + 1).split('/');
    if (index < 1 || index > segments.length) return url;
    segments[index - 1] = mark(segments[index - 1]!);
    return `${head.slice(0, slash + 1)}${segments.join('/')}${query}${fragment}`;
  }
  return url;
}

/**
 * The observations with `sharedIdentifiers` on every request that carried an identifier of the
 * audit to another site; everything else is returned as it is (same objects).
 */
export function withSharedIdentifiers(observations: readonly Observation[]): Observation[] {
  if (!observations.some((o) => o.kind === 'request' && o.carried)) return [...observations];
  const byDigest = owners(observations);
  if (!byDigest.size) return [...observations];
  return observations.map((o) => {
    if (o.kind !== 'request' || !o.carried) return o;
    const shared = sharedBy(o, byDigest);
    return shared.length ? { ...o, sharedIdentifiers: shared } : o;
  });
}
