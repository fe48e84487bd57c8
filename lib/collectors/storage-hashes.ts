/**
 * MD5, SHA-1 and SHA-256 digests of a stored identifier (`hashDigests`, as cookies have), so a
 * request carrying a hash of a localStorage or sessionStorage id is recognised as syncing it. The
 * page-world hook sends a write's raw digests only (its bundle carries no hash functions); the
 * isolated-world relay, which reads storage with natives the page cannot replace, reads the value
 * back and hashes it here. It adds hashes only when the value it read is the one the hook digested
 * (a later write in between gives nothing, not a wrong hash). Nothing but digests leaves the relay.
 */
import { identifierDigests } from '../identifiers';
import { hashDigests } from './sync-digests';

/** Longest stored value hashed: the same bound as the raw digests (storage-diff.ts). */
const MAX_HASHED = 256;

/** `hashDigests` of `value`, when it is the identifier whose raw digests are `valueDigests`. */
export function storageHashDigests(
  value: string | null | undefined,
  valueDigests: readonly string[] | undefined,
): { hashDigests?: string[] } {
  if (typeof value !== 'string' || value.length > MAX_HASHED || !valueDigests?.length) return {};
  if (identifierDigests(value)[0] !== valueDigests[0]) return {};
  const digests = hashDigests(value);
  return digests.length ? { hashDigests: digests } : {};
}

/** Whether a hash digest is well formed (`<md5|sha1|sha256>:<16 hex>`): page reports are checked. */
export const isHashDigest = (x: unknown): x is string =>
  typeof x === 'string' && /^(?:md5|sha1|sha256):[0-9a-f]{16}$/.test(x);
