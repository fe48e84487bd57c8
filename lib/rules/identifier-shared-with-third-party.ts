import type { AuditContext } from '../engine/context';
import { evidenceOf } from '../engine/evidence';
import { withNote } from '../engine/evidence-note';
import type { Phased } from '../engine/phases';
import type { Evidence, Finding } from '../findings';
import { text, type Text } from '../i18n';
import type { Classification } from '../knowledge/types';
import type { CookieObservation, RequestObservation, SharedIdentifier, StorageObservation } from '../observations';
import { consentMoment, finding, findingMessage, groupBy } from './finding';

/** Phases in which no consent covers sharing an identifier: before any decision, after a refusal or a withdrawal. */
const UNCONSENTED = new Set(['before-consent', 'after-reject', 'after-withdrawal']);

type Writer = Phased<CookieObservation> | Phased<StorageObservation>;

/** How a request carried the identifier, in plain words: `base64-encoded SHA-256 hex in query p`. */
function carriedHow(s: SharedIdentifier): Text {
  if (!s.hash) return text(s.encoding === 'base64' ? 'evidenceNote.form.base64' : 'evidenceNote.form.raw');
  const hash = s.hash.toUpperCase().replace('SHA', 'SHA-');
  return text(s.encoding === 'base64' ? 'evidenceNote.form.base64Hash' : 'evidenceNote.form.hash', { hash });
}

/** Who the identifier belongs to: its own name in the knowledge base, else the script or response that wrote it. */
function ownerOf(ctx: AuditContext, w: Writer): Classification | undefined {
  const page = `https://${w.topSite}/`;
  if (w.kind === 'cookie') {
    const byName = ctx.classify.knownCookie(w);
    if (byName) return byName;
    if (w.initiator) return ctx.classify.url(w.initiator, 'script', page);
    return w.via === 'set-cookie-header' ? ctx.classify.url(w.url, 'other', page) : undefined;
  }
  return ctx.classify.storage(w) ?? (w.initiator ? ctx.classify.url(w.initiator, 'script', page) : undefined);
}

/**
 * Cookie syncing: a cookie or storage identifier of the audit whose value (raw, URL-encoded, in
 * base64 text, or its MD5, SHA-1 or SHA-256 hex) a request carried to another site, in its URL or
 * its body (lib/collectors/request-body.ts), before consent
 * or after a refusal or a withdrawal. Matching is by digests (lib/report/shared-identifiers.ts),
 * so values never reach the report; the request's `sharedIdentifiers` name both ends.
 *
 * A vendor's own identifier going back to that vendor (the `_ga` client id in a Google Analytics
 * hit) is its tracking, judged by `tracker-before-consent`, not syncing: it is left out when the
 * identifier's owner (its name in the knowledge base, or the script or response that wrote it) and
 * the receiving request are classified to the same legal entity. One finding per identifier and
 * receiving site.
 */
export function identifierSharedWithThirdParty(ctx: AuditContext): Finding[] {
  const writes = new Map<number, Writer>();
  for (const o of ctx.observations) if (o.kind === 'cookie' || o.kind === 'storage') writes.set(o.seq, o);
  const hits: Array<{ r: Phased<RequestObservation>; s: SharedIdentifier; w: Writer | undefined }> = [];
  for (const o of ctx.observations) {
    if (o.kind !== 'request' || !o.sharedIdentifiers || !UNCONSENTED.has(o.phase)) continue;
    const receiver = ctx.classify.request(o);
    for (const s of o.sharedIdentifiers) {
      const w = writes.get(s.seq);
      const owner = w ? ownerOf(ctx, w) : undefined;
      if (owner && receiver && owner.entity === receiver.entity) continue;
      hits.push({ r: o, s, w });
    }
  }
  return [...groupBy(hits, ({ r, s }) => `${s.kind}:${s.name}@${s.domain}>${r.site}`)].map(([key, group]) => {
    const { r, s, w } = group[0]!;
    const receiver = ctx.classify.request(r);
    const owner = w ? ownerOf(ctx, w) : undefined;
    const writer = owner?.vendorName ?? (w && w.initiator) ?? (w?.kind === 'cookie' ? w.url : undefined) ?? s.domain;
    const refused = group.every(({ r: q }) => q.phase !== 'before-consent');
    const evidence: Evidence[] = group.map(({ r: q, s: t }) =>
      withNote(
        evidenceOf(q),
        text(`evidenceNote.carries.${t.kind}`, { name: t.name, domain: t.domain, how: carriedHow(t), at: t.at }),
      ),
    );
    if (w) evidence.push(withNote(evidenceOf(w), text('evidenceNote.writtenBy', { name: s.name, writer })));
    const identifier = text(`finding.identifierSharedWithThirdParty.${s.kind}`, { name: s.name });
    const to = receiver ? `${receiver.vendorName} (${r.host})` : r.host;
    return finding(ctx, 'identifier-shared-with-third-party', {
      subject: { kind: s.kind, key, label: `${s.kind} ${s.name} (${s.domain}) → ${r.site}` },
      message: findingMessage(
        'identifier-shared-with-third-party',
        { identifier, receiver: to },
        {
          identifier,
          domain: s.domain,
          writer,
          receiver: to,
          how: carriedHow(s),
          count: group.length,
          moment: refused ? text('finding.identifierSharedWithThirdParty.afterRefusal') : consentMoment(ctx),
        },
      ),
      phase: r.phase,
      ...(receiver ? { category: receiver.category, classifiedBy: receiver } : {}),
      policyRefs: receiver
        ? ctx.policy.categories.filter((d) => d.category === receiver.category).flatMap((d) => d.refs)
        : [],
      evidence,
    });
  });
}
