import type { AuditContext } from '../engine/context';
import { evidenceOf, evidenceOfCookieWrite } from '../engine/evidence';
import { eventOrder, type Ordered } from '../engine/phases';
import type { Classification } from '../knowledge/types';
import type { ConsentPhase } from '../observations';
import { withNote } from '../engine/evidence-note';
import type { Evidence } from '../findings';
import type { Text } from '../i18n';

/**
 * What consent-needing vendors did once a choice took consent away (a refusal, or a withdrawal):
 * their requests and storage writes in that phase, their cookies written in it, and their cookies
 * set before the choice that the site never removed (each once, with `keptNote`). Grouped by vendor,
 * in first-seen order. Evidence is made only for what is kept: most requests then are not trackers.
 */
export function trackingInPhase(
  ctx: AuditContext,
  choice: Ordered,
  phase: ConsentPhase,
  keptNote: Text,
): Map<string, { c: Classification; evidence: Evidence[] }> {
  const byVendor = new Map<string, { c: Classification; evidence: Evidence[] }>();
  const add = (c: Classification | undefined, e: () => Evidence) => {
    if (!c?.needsConsent || c.category === 'consent-management') return;
    const entry = byVendor.get(c.vendorId) ?? { c, evidence: [] };
    entry.evidence.push(e());
    byVendor.set(c.vendorId, entry);
  };
  for (const o of ctx.observations) {
    if (o.phase !== phase) continue;
    if (o.kind === 'request') add(ctx.classify.request(o), () => evidenceOf(o));
    if (o.kind === 'storage' && o.action === 'set') add(ctx.classify.storage(o), () => evidenceOf(o));
  }
  const removedAfter = new Set(
    ctx.cookieWrites.filter((w) => w.deletes && eventOrder(w, choice) > 0).map((w) => `${w.name}@${w.domain}`),
  );
  const kept = new Set<string>();
  for (const w of ctx.cookieWrites) {
    if (w.deletes || w.session) continue;
    const key = `${w.name}@${w.domain}`;
    if (w.phase === phase) add(ctx.classify.cookie(w), () => evidenceOfCookieWrite(w));
    else if (eventOrder(w, choice) < 0 && !removedAfter.has(key) && !kept.has(key)) {
      kept.add(key);
      add(ctx.classify.cookie(w), () => withNote(evidenceOfCookieWrite(w), keptNote));
    }
  }
  return byVendor;
}
