import type { Classification } from '../knowledge/types';
import type { RequestObservation, StorageObservation } from '../observations';
import { classificationFromPolicy, declaredCookie } from '../policy/coverage';
import type { Knowledge } from '../knowledge/types';
import type { AuditContext } from './context';
import type { CookieWrite } from './cookie-writes';

/**
 * One place where observations meet the knowledge sources, so every rule classifies a request or a
 * cookie the same way and names the same source in `classifiedBy`.
 */

/** Classifies a request with its type and page, which filter-list sources need. */
export function classifyRequest(knowledge: Knowledge, o: RequestObservation): Classification | undefined {
  return knowledge.classifyUrl(o.url, { type: o.type, sourceUrl: o.initiator ?? `https://${o.topSite}/` });
}

/**
 * Classifies a cookie: the knowledge sources first (what the cookie *is*), then the policy's own
 * cookie list (what the site *says* it is), so a cookie only the policy names is still known.
 */
export function classifyCookie(
  ctx: Pick<AuditContext, 'knowledge' | 'policy'>,
  w: Pick<CookieWrite, 'name' | 'domain'>,
): Classification | undefined {
  const known = ctx.knowledge.classifyCookie(w.name, w.domain);
  if (known) return known;
  const declared = declaredCookie(ctx.policy, w.name);
  if (!declared) return undefined;
  const vendorName = declared.vendor ? ctx.knowledge.vendor(declared.vendor)?.name : undefined;
  return classificationFromPolicy(ctx.policy, declared, vendorName);
}

/** Classifies a web-storage key of an origin. */
export function classifyStorage(knowledge: Knowledge, o: StorageObservation): Classification | undefined {
  return knowledge.classifyStorageKey(o.key, o.origin);
}
