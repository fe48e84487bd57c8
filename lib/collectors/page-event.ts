import type { PageEvent } from '../messages';
import { FINGERPRINT_TECHNIQUES } from './fingerprint';

const MAX = 4096;
const str = (v: unknown, max = MAX) => (typeof v === 'string' ? v.slice(0, max) : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** How far back a relayed event's time may lie before it is treated as bogus. */
const MAX_RELAY_DELAY_MS = 30_000;

/**
 * Validates one message seen on the page channel, field by field: the page can post anything.
 * Unknown types on our channel cannot come from our hook, so they become `forged` evidence.
 *
 * Time: the relay (isolated world, whose clock the page cannot touch) passes `trustTime` and its own
 * receipt time as `now`, ignoring whatever time the page claims; the background then keeps the
 * relay's time, bounded by its own clock, so batching delays do not move an event past a decision.
 */
export function sanitizePageEvent(data: unknown, now: number, url: string, trustTime = false): PageEvent | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  const claimed = num(d.time);
  const time =
    trustTime && claimed !== undefined && claimed <= now && now - claimed <= MAX_RELAY_DELAY_MS ? claimed : now;
  const at = str(d.url) ?? url;
  switch (d.type) {
    case 'cookie-write': {
      const raw = str(d.raw);
      if (raw === undefined) return undefined;
      const initiator = str(d.initiator);
      return {
        type: 'cookie-write',
        raw,
        via: d.via === 'cookieStore' ? 'cookieStore' : 'document.cookie',
        time,
        url: at,
        ...(initiator ? { initiator } : {}),
        ...(d.initiatorShaped === true ? { initiatorShaped: true as const } : {}),
      };
    }
    case 'storage': {
      const area =
        d.area === 'localStorage' || d.area === 'sessionStorage' || d.area === 'indexedDB' ? d.area : undefined;
      const action =
        d.action === 'set' || d.action === 'remove' || d.action === 'clear' || d.action === 'open'
          ? d.action
          : undefined;
      const key = str(d.key, 512);
      if (!area || !action || key === undefined) return undefined;
      const valueLength = num(d.valueLength);
      const initiator = str(d.initiator);
      // Digests only ever redact (never create or remove a fact), so a forged one costs nothing but a mark.
      const valueDigests = Array.isArray(d.valueDigests)
        ? d.valueDigests.filter((x): x is string => typeof x === 'string' && /^[0-9a-f]{16}$/.test(x)).slice(0, 8)
        : [];
      // Added by the relay from its own reading; like the raw digests, a forged one can only name a request.
      const hashDigests = Array.isArray(d.hashDigests)
        ? d.hashDigests
            .filter((x): x is string => typeof x === 'string' && /^(?:md5|sha1|sha256):[0-9a-f]{16}$/.test(x))
            .slice(0, 12)
        : [];
      return {
        type: 'storage',
        area,
        action,
        key,
        time,
        url: at,
        ...(valueLength !== undefined ? { valueLength } : {}),
        ...(valueDigests.length ? { valueDigests } : {}),
        ...(valueDigests.length && hashDigests.length ? { hashDigests } : {}),
        ...(initiator ? { initiator } : {}),
        ...(d.initiatorShaped === true ? { initiatorShaped: true as const } : {}),
        ...(d.seenBy === 'snapshot' ? { seenBy: 'snapshot' as const } : {}),
      };
    }
    case 'fingerprint': {
      // Untrusted like every page report: it adds a probe the hook saw, and the rule cites it as such.
      const technique = FINGERPRINT_TECHNIQUES.find((t) => t === d.technique);
      if (!technique) return undefined;
      const initiator = str(d.initiator);
      return {
        type: 'fingerprint',
        technique,
        detail: str(d.detail, 300) ?? '',
        time,
        url: at,
        ...(initiator ? { initiator } : {}),
        ...(d.initiatorShaped === true ? { initiatorShaped: true as const } : {}),
      };
    }
    case 'tcf': {
      const tcString = str(d.tcString, 20_000);
      const cmpId = num(d.cmpId);
      return {
        type: 'tcf',
        eventStatus: str(d.eventStatus, 64) ?? '',
        time,
        url: at,
        ...(tcString ? { tcString } : {}),
        ...(cmpId !== undefined ? { cmpId } : {}),
      };
    }
    default:
      return { type: 'forged', detail: JSON.stringify(data).slice(0, 300), time, url: at };
  }
}
