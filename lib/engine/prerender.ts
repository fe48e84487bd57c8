import type { Observation, RequestObservation } from '../observations';

/**
 * A prerendered page (Chromium speculation rules) loads before the visitor sees it, maybe never. Its
 * requests (`prerendered`: the page's document id) belong to the moment the page is shown: each
 * takes the time of its page's activation record (a `page` observation, `prerender-activation`, with
 * the same `documentId`) and keeps its own as `prerenderedAt`. The prerender's document request,
 * sent before its document had an id (`prerendered: 'document'`), is known by its URL. Requests of
 * a page never shown are left out of the timeline: the visitor never saw it, so no phase holds them.
 * Observations without prerendered requests come back as the same array.
 */
export function activatePrerendered(observations: readonly Observation[]): readonly Observation[] {
  if (!observations.some((o) => o.kind === 'request' && o.prerendered !== undefined)) return observations;
  const byDocument = new Map<string, number>();
  const byUrl = new Map<string, number>();
  const earliest = (map: Map<string, number>, key: string, time: number) => {
    const seen = map.get(key);
    if (seen === undefined || time < seen) map.set(key, time);
  };
  for (const o of observations)
    if (o.kind === 'page' && o.navigation === 'prerender-activation') {
      if (o.documentId !== undefined) earliest(byDocument, o.documentId, o.time);
      earliest(byUrl, o.url, o.time);
    }
  const out: Observation[] = [];
  for (const o of observations) {
    if (o.kind !== 'request' || o.prerendered === undefined) {
      out.push(o);
      continue;
    }
    const at = o.prerendered === 'document' ? byUrl.get(o.url) : byDocument.get(o.prerendered);
    if (at === undefined) continue;
    const shown: RequestObservation = { ...o, time: Math.max(at, o.time), prerenderedAt: o.time };
    out.push(shown);
  }
  return out;
}
