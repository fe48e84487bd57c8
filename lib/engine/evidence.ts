import type { Evidence } from '../findings';
import type { Observation } from '../observations';
import { text } from '../i18n';
import { judgedOn, type CookieWrite } from './cookie-writes';
import { withNote } from './evidence-note';
import { daysBetween, isoTime } from './lifetime';
import type { Phased } from './phases';

const iso = isoTime;

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
    case 'fingerprint':
      e.name = o.technique;
      e.domain = o.origin;
      if (o.initiator) e.initiator = o.initiator;
      e.note = o.detail;
      break;
    case 'dns':
      e.host = o.host;
      e.note = `canonical name ${o.canonicalName}`;
      break;
    case 'page':
      e.via = o.navigation;
      break;
    case 'consent':
      e.note = `${o.event}${o.decision ? ` (${o.decision})` : ''}: ${o.how}`;
      break;
  }
  return e;
}

/** Evidence for a cookie write: requested and effective expiry side by side, and which was judged. */
export function evidenceOfCookieWrite(w: CookieWrite): Evidence {
  const judged = judgedOn(w);
  const contradicted =
    judged === 'effective' && w.requestedExpiry !== undefined && w.via !== 'set-cookie-header'
      ? text('evidenceNote.contradicted', {
          requested: daysBetween(w.time, w.requestedExpiry),
          stored: daysBetween(w.time, w.effectiveExpiry!),
        })
      : undefined;
  const e: Evidence = {
    kind: 'cookie',
    seq: w.seq,
    time: iso(w.time),
    phase: w.phase,
    ...(w.scenario ? { scenario: w.scenario } : {}),
    url: w.url,
    name: w.name,
    domain: w.domain,
    via: w.via,
    session: w.session,
    ...(w.raw ? { raw: w.raw } : {}),
    ...(w.initiator ? { initiator: w.initiator } : {}),
    ...(w.requestedExpiry !== undefined
      ? { requestedExpiry: iso(w.requestedExpiry), requestedLifetimeDays: daysBetween(w.time, w.requestedExpiry) }
      : {}),
    ...(w.effectiveExpiry !== undefined
      ? { effectiveExpiry: iso(w.effectiveExpiry), effectiveLifetimeDays: daysBetween(w.time, w.effectiveExpiry) }
      : {}),
    ...(judged ? { judged } : {}),
  };
  return contradicted ? withNote(e, contradicted) : e;
}
