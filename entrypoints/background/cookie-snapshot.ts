import { absentCookieObservation, cookieApiObservation, type RawCookieChange } from '@/lib/collectors/normalize';
import { analyzeTimeline } from '@/lib/engine/analyze';
import { unconfirmedWrites } from '@/lib/engine/cookie-writes';
import { storeFilter } from '@/lib/collectors/cookie-store';
import type { Observation } from '@/lib/observations';
import type { AuditMeta } from '@/lib/store/audit-store';
import { storeOf } from './cookie-stores';
import type { SnapshotSink } from './sinks';

/**
 * Before a report is built, asks the cookie store about requested writes whose storage the browser
 * never reported. Firefox can drop or reorder cookies.onChanged events (its event page may be
 * suspended), and without the stored cookie the report cannot show the effective, capped expiry.
 * `partitionKey: {}` includes partitioned cookies (CHIPS, Firefox Total Cookie Protection). Only the
 * audited tab's cookie store is read: a container audit's cookies are not the default store's.
 */
export async function snapshotUnconfirmedCookies(
  store: SnapshotSink,
  meta: Pick<AuditMeta, 'auditId' | 'tabId' | 'site'>,
  observations: readonly Observation[],
): Promise<boolean> {
  const writes = unconfirmedWrites(analyzeTimeline(observations).allCookieWrites);
  let recorded = false;
  const seen = new Set<string>();
  const inStore = writes.length ? storeFilter(await storeOf(meta.tabId)) : {};
  for (const w of writes.slice(-200)) {
    const key = `${w.name}|${w.domain}|${w.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const found = await browser.cookies
      .getAll({ name: w.name, domain: w.domain, ...inStore, partitionKey: {} } as Parameters<
        typeof browser.cookies.getAll
      >[0])
      .catch(() => browser.cookies.getAll({ name: w.name, domain: w.domain, ...inStore }));
    const stored = found.find((c) => c.domain.replace(/^\./, '') === w.domain && c.path === w.path);
    if (!stored) {
      // The browser holds no such cookie and never reported storing it: the write was refused
      // (or already gone). The engine decides which (lib/engine/cookie-writes.ts, markRefused).
      const absent = absentCookieObservation(w, { time: Date.now(), tabId: meta.tabId, topSite: meta.site });
      recorded = !!store.recordFor(meta.auditId, absent) || recorded;
      continue;
    }
    const observation = cookieApiObservation(
      { removed: false, cause: 'snapshot', cookie: stored as unknown as RawCookieChange['cookie'] },
      { time: Date.now(), tabId: meta.tabId, topSite: meta.site },
    );
    if (observation) recorded = !!store.recordFor(meta.auditId, { ...observation, snapshot: true }) || recorded;
  }
  return recorded;
}
