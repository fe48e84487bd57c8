/**
 * The journeys' steps on a tab's banner (lib/journey.ts), asked by the popup or a scripted audit:
 * detect the banner, measure its layers, accept, refuse, or withdraw the consent given. The page's
 * consent script finds and clicks the controls by their labels; this records what it means.
 *
 * A choice is recorded first, as the extension's own (trusted) decision, so what the clicks cause
 * falls in the new phase; a failed one is followed by a failed `action-result`, which undoes that
 * phase (lib/engine/phases.ts). A banner autoconsent knows is accepted or refused by autoconsent,
 * as the "via the banner" buttons do.
 */
import type { ConsentCommand, ConsentCommandResponse } from '@/lib/messages';
import type { JourneyGoal, JourneyResult } from '@/lib/journey';
import type { ConsentDecision } from '@/lib/observations';
import { consentAction, consentService } from './consent-service';
import type { ConsentSink } from './sinks';

export interface JourneyDeps {
  sendToFrame?: (tabId: number, message: ConsentCommand, frameId: number) => Promise<unknown>;
  now?: () => number;
}

const DECISION: Partial<Record<JourneyGoal, ConsentDecision>> = {
  accept: 'accept',
  refuse: 'reject',
  withdraw: 'reject',
};

/** Runs one journey goal in the tab's top frame and records what it established. */
export async function runJourneyStep(
  tabId: number,
  goal: JourneyGoal,
  sink: ConsentSink,
  deps: JourneyDeps = {},
): Promise<JourneyResult> {
  const now = deps.now ?? Date.now;
  const send = deps.sendToFrame ?? ((t, message, frameId) => consentService().command(t, frameId, message));
  const meta = sink.auditOf(tabId);
  if (!meta) return { done: false, detail: `tab ${tabId} is not under audit` };

  // A banner the consent service already knows (a platform, or one found by its shape) is chosen on by it.
  if ((goal === 'accept' || goal === 'refuse') && consentService().bannerFrame(tabId)) {
    const done = await consentAction(tabId, goal === 'accept' ? 'accept' : 'reject', undefined, sink);
    if (!done.ok) return { done: false, detail: done.error };
    return done.method === 'autoconsent'
      ? {
          done: true,
          detail: `autoconsent's ${goal === 'accept' ? 'opt-in' : 'opt-out'} for ${done.platform ?? 'the platform'}`,
        }
      : {
          done: true,
          detail: `clicked "${done.control ?? '?'}" (found by its words)`,
          ...(done.control ? { clicked: [done.control] } : {}),
        };
  }

  const base = {
    kind: 'consent' as const,
    tabId,
    frameId: 0,
    url: meta.url,
    topSite: meta.site,
    source: 'extension' as const,
    trusted: true,
  };
  const decision = DECISION[goal];
  const how =
    goal === 'withdraw'
      ? "the extension withdrew consent the way the site offers it (a withdraw or cookie-settings control found by its label, then the banner's refusal)"
      : `the extension chose ${goal} on the banner, its controls found by their labels`;
  if (decision)
    sink.record(tabId, {
      ...base,
      time: now(),
      event: 'decision',
      decision,
      how,
      ...(goal === 'withdraw' ? { withdrawal: true } : {}),
    });

  let result: JourneyResult;
  try {
    const answer = (await send(tabId, { type: 'consent-command', action: 'journey', goal }, 0)) as
      ConsentCommandResponse | undefined;
    result = answer?.journey ?? { done: false, detail: answer?.detail ?? 'no consent script in the page' };
  } catch (error) {
    result = { done: false, detail: error instanceof Error ? error.message : String(error) };
  }

  const time = now();
  if (decision) {
    sink.record(tabId, {
      ...base,
      time,
      event: 'action-result',
      decision,
      result: result.done,
      how: result.done ? `${how}: ${result.detail}` : `${how}: failed (${result.detail})`,
    });
    if (goal === 'withdraw' && !result.done)
      sink.record(tabId, { ...base, time, event: 'withdrawal-not-found', how: result.detail });
    if (result.done) void send(tabId, { type: 'consent-command', action: 'snapshot' }, 0).catch(() => undefined);
  } else if (goal === 'measure' && result.banner) {
    sink.record(tabId, {
      ...base,
      time,
      event: 'banner-measured',
      measure: result.banner,
      how: `the extension measured the banner: ${result.detail}`,
    });
  } else if (goal === 'detect' && result.done) {
    sink.record(tabId, { ...base, time, event: 'banner-shown', how: `the extension found ${result.detail}` });
  }
  return result;
}
