/**
 * Turns consent signals into consent observations, with how each was established and whether it
 * can be trusted. The rule of trust: only what the extension itself did, what the auditor marked,
 * and real (isTrusted) clicks seen from the isolated world are trusted. What the page reports about
 * itself (its consent cookie, its TCF API, messages on the window) is untrusted, and opens a
 * consent phase only when a real user gesture came just before it.
 */
import { decisionFromConsentCookie, platformOfRule } from '../consent/cmp-hints';
import { decisionOfTcf, decodeTcString } from '../consent/tcf';
import type { ConsentObservation } from '../observations';
import type { ConsentReport, PageEvent } from '../messages';

export type UnsequencedConsent = Omit<ConsentObservation, 'seq'>;
type Context = { time: number; tabId: number; frameId: number; topSite: string };

const base = (ctx: Context, url: string) => ({
  kind: 'consent' as const,
  time: ctx.time,
  tabId: ctx.tabId,
  frameId: ctx.frameId,
  url,
  topSite: ctx.topSite,
});

/** autoconsent's detection messages (isolated world, our code; the DOM it reads is the page's). */
export function autoconsentObservation(
  message: { type: string; cmp?: string; result?: boolean; url?: string },
  ctx: Context,
): UnsequencedConsent | undefined {
  const platform = message.cmp ? (platformOfRule(message.cmp)?.name ?? message.cmp) : undefined;
  const common = {
    ...base(ctx, message.url ?? ''),
    source: 'extension' as const,
    trusted: true,
    ...(platform ? { platform } : {}),
  };
  switch (message.type) {
    case 'cmpDetected':
      return { ...common, event: 'banner-detected', how: `autoconsent rule "${message.cmp}" matched the page` };
    case 'popupFound':
      return { ...common, event: 'banner-shown', how: `autoconsent rule "${message.cmp}" found its banner visible` };
    case 'selfTestResult':
      return {
        ...common,
        event: 'action-result',
        result: !!message.result,
        how: `autoconsent self-test ${message.result ? 'passed' : 'failed'}: the platform ${message.result ? 'stored' : 'did not store'} the choice`,
      };
    default:
      return undefined;
  }
}

const CONTROL_WORD = { accept: 'accept', reject: 'refuse', custom: 'customise' } as const;

/**
 * A real click or key press, seen from the isolated world. A click on a known platform's accept or
 * refuse control, or on a banner control whose words say accept or refuse, is the visitor's
 * decision, dated at the click: the page cannot fake an isTrusted event, and the isolated world
 * read the control's words itself. Any other click is a gesture, which corroborates only.
 */
export function gestureObservation(g: Extract<ConsentReport, { kind: 'gesture' }>, ctx: Context): UnsequencedConsent {
  const common = {
    ...base(ctx, g.url),
    source: 'page-state' as const,
    trusted: true,
    selector: g.target,
    ...(g.controlKind ? { controlKind: g.controlKind } : {}),
    ...(g.inBanner ? { inBanner: true } : {}),
  };
  if (g.matched) {
    return {
      ...common,
      event: 'decision',
      decision: g.matched.decision,
      control: g.matched.decision,
      platform: g.matched.platform,
      timeSource: 'click',
      how: `the visitor clicked the ${g.matched.decision === 'accept' ? 'accept' : 'refuse'} control ${g.matched.selector} (${g.target}) of ${g.matched.platform}: a real, isTrusted click`,
    };
  }
  if (g.inBanner && (g.control === 'accept' || g.control === 'reject')) {
    return {
      ...common,
      event: 'decision',
      decision: g.control,
      control: g.control,
      timeSource: 'click',
      how: `the visitor clicked ${g.target}, a banner control whose words say ${CONTROL_WORD[g.control]}: a real, isTrusted click`,
    };
  }
  return {
    ...common,
    event: 'user-gesture',
    ...(g.control ? { control: g.control } : {}),
    how: `a real, isTrusted click on ${g.target}${g.control ? ` (a ${CONTROL_WORD[g.control]} control)` : ''}`,
  };
}

/** A banner no known platform matched, found by its shape by the isolated world. */
export function genericBannerObservation(
  b: Extract<ConsentReport, { kind: 'generic-banner' }>,
  ctx: Context,
): UnsequencedConsent {
  const kinds = b.controls.map((c) => `${c.text}${c.kind ? ` (${c.kind})` : ''}`).join(' / ');
  return {
    ...base(ctx, b.url),
    source: 'page-state',
    trusted: true,
    event: 'banner-shown',
    selector: b.target,
    banner: { kind: 'generic', words: b.words.slice(0, 20), controls: b.controls.slice(0, 30) },
    how: `a consent banner not of a known platform, found by its shape (${b.target}: ${b.words.slice(0, 5).join(', ')}); controls: ${kinds}`,
  };
}

/** The platform's own record of the choice, from its consent cookie (value read here, not kept). */
export function consentCookieObservation(
  name: string,
  value: string,
  url: string,
  ctx: Context,
): UnsequencedConsent | undefined {
  if (name === 'euconsent-v2') {
    const tcf = decodeTcString(value);
    if (!tcf) return undefined;
    return {
      ...base(ctx, url),
      source: 'cookies-api',
      event: 'decision-stored',
      decision: decisionOfTcf(tcf),
      platform: `IAB TCF CMP #${tcf.cmpId}`,
      trusted: false,
      needsGesture: true,
      tcf,
      how: `TC string in the euconsent-v2 cookie, written by the page (${tcf.purposeConsents.length} purposes consented)`,
    };
  }
  const found = decisionFromConsentCookie(name, value);
  if (!found) return undefined;
  return {
    ...base(ctx, url),
    source: 'cookies-api',
    event: 'decision-stored',
    decision: found.decision,
    platform: found.platform.name,
    trusted: false,
    needsGesture: true,
    how: `consent cookie ${name} written by the page records "${found.decision}"`,
  };
}

/** Page-world TCF events and forged channel messages (untrusted by construction). */
export function pageConsentObservation(event: PageEvent, ctx: Context): UnsequencedConsent | undefined {
  const common = { ...base(ctx, event.url), source: 'page-hook' as const, trusted: false };
  if (event.type === 'forged') {
    return {
      ...common,
      event: 'decision',
      how: `message on the extension's page channel that its hook never sends (forged, ignored): ${event.detail}`,
    };
  }
  if (event.type !== 'tcf') return undefined;
  const decoded = event.tcString ? decodeTcString(event.tcString) : undefined;
  const tcf = decoded ? { ...decoded, eventStatus: event.eventStatus } : undefined;
  const platform = `IAB TCF CMP #${decoded?.cmpId ?? event.cmpId ?? '?'}`;
  switch (event.eventStatus) {
    case 'cmpuishown':
      return {
        ...common,
        event: 'banner-shown',
        platform,
        ...(tcf ? { tcf } : {}),
        how: "TCF event cmpuishown from the page's __tcfapi",
      };
    case 'useractioncomplete':
      return {
        ...common,
        event: 'decision',
        ...(tcf ? { decision: decisionOfTcf(tcf), tcf } : {}),
        platform,
        needsGesture: true,
        how: "TCF event useractioncomplete from the page's __tcfapi",
      };
    case 'tcloaded':
      return tcf
        ? {
            ...common,
            event: 'decision-stored',
            decision: decisionOfTcf(tcf),
            platform,
            needsGesture: true,
            tcf,
            how: 'TCF event tcloaded: a stored TC string',
          }
        : undefined;
    default:
      return undefined;
  }
}
