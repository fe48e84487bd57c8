import type { Evidence } from '../findings';
import type { Observation } from '../observations';
import type { CookieWrite } from './cookie-writes';
import { daysBetween } from './lifetime';
import type { Phased } from './phases';

const iso = (t: number) => new Date(t).toISOString();

/**
 * Evidence record for one request, storage write or consent event. Built field by field, not by
 * spreading (this runs for every piece of evidence of a long session); the key order is the
 * report's.
 */
export function evidenceOf(o: Phased<Observation>): Evidence {
  const e: Evidence = { kind: o.kind, seq: o.seq, time: iso(o.time), phase: o.phase };
  if (o.scenario) e.scenario = o.scenario;
  e.url = o.url;
  switch (o.kind) {
    case 'request':
      e.host = o.host;
      e.requestType = o.type;
      break;
    case 'storage':
      e.name = o.key;
      e.domain = o.origin;
      e.via = o.area;
      if (o.initiator) e.initiator = o.initiator;
      break;
    case 'cookie':
      e.name = o.name;
      e.domain = o.domain;
      e.via = o.via;
      e.session = o.session;
      break;
    case 'consent':
      e.note = `${o.event}${o.decision ? ` (${o.decision})` : ''}: ${o.how}`;
      break;
  }
  return e;
}

/** Evidence for a cookie write: requested and effective expiry side by side. Built field by field, like evidenceOf. */
export function evidenceOfCookieWrite(w: CookieWrite): Evidence {
  const e: Evidence = { kind: 'cookie', seq: w.seq, time: iso(w.time), phase: w.phase };
  if (w.scenario) e.scenario = w.scenario;
  e.url = w.url;
  e.name = w.name;
  e.domain = w.domain;
  e.via = w.via;
  e.session = w.session;
  if (w.raw) e.raw = w.raw;
  if (w.initiator) e.initiator = w.initiator;
  if (w.requestedExpiry !== undefined) {
    e.requestedExpiry = iso(w.requestedExpiry);
    e.requestedLifetimeDays = daysBetween(w.time, w.requestedExpiry);
  }
  if (w.effectiveExpiry !== undefined) {
    e.effectiveExpiry = iso(w.effectiveExpiry);
    e.effectiveLifetimeDays = daysBetween(w.time, w.effectiveExpiry);
  }
  return e;
}
