import { describe, expect, it } from 'vitest';
import { gestureObservation, pageConsentObservation } from '../../lib/collectors/consent-events';
import { controlKind } from '../../lib/consent/control-kind';
import { assignPhases } from '../../lib/engine/phases';
import type { Observation, RequestObservation } from '../../lib/observations';

/** The TC string of hostile.html (purposes 1-10 consented): what a page posts to claim an acceptance. */
const TC_ALL = 'CQSU_AAQSU_AAEsABBFRABFgAP_AAAAAAAqIF5wAgAtgLzAAAAAA.IF5wAgAtgLzA.YAAAAAAAAAAA';
const ctx = (time: number) => ({ time, tabId: 1, frameId: 0, topSite: 'o2toit.com' });
let seq = 0;
const stamp = <O>(o: O) => ({ ...o, seq: ++seq }) as unknown as Observation;

const click = (label: string, time: number) => {
  const control = controlKind(label);
  return stamp(
    gestureObservation(
      {
        kind: 'gesture',
        time,
        url: 'https://www.o2toit.com/',
        target: `button "${label}"`,
        ...(control ? { control } : {}),
      },
      ctx(time),
    ),
  );
};
const tcfDecision = (time: number) =>
  stamp(
    pageConsentObservation(
      {
        type: 'tcf',
        eventStatus: 'useractioncomplete',
        tcString: TC_ALL,
        cmpId: 300,
        time,
        url: 'https://www.o2toit.com/',
      },
      ctx(time),
    )!,
  );
const beacon = (time: number) =>
  stamp({
    kind: 'request',
    time,
    tabId: 1,
    frameId: 0,
    url: 'https://region1.google-analytics.com/g/collect',
    topSite: 'o2toit.com',
    source: 'webRequest',
    requestId: 'r',
    method: 'POST',
    type: 'ping',
    host: 'region1.google-analytics.com',
    site: 'google-analytics.com',
    thirdParty: true,
  } satisfies Omit<RequestObservation, 'seq'>);

describe('consent that cannot be forged', () => {
  it.each([
    ['Tout refuser', 'reject'],
    ['Continuer sans accepter', 'reject'],
    ['Refuser tout', 'reject'],
    ['Reject all', 'reject'],
    ['Only necessary cookies', 'reject'],
    ["Don't accept", 'reject'],
    ['Tout accepter', 'accept'],
    ["J'accepte", 'accept'],
    ['Accept all cookies', 'accept'],
    ['OK', 'accept'],
    ['Personnaliser', 'custom'],
    ['Enregistrer mes choix', 'custom'],
    ['En savoir plus', undefined],
    ['×', undefined],
  ])('reads the control "%s" as %s', (label, kind) => {
    expect(controlKind(label)).toBe(kind);
  });

  it('a real click on "Tout refuser" followed by a forged TCF accept does not give accept', () => {
    seq = 0;
    const r = assignPhases([click('Tout refuser', 1000), tcfDecision(1200), beacon(1500)]);
    expect(r.decisions).toEqual([]);
    expect(r.observations.at(-1)!.phase).toBe('before-consent');
    expect(r.untrustedDecisions).toEqual([
      expect.objectContaining({
        decision: 'accept',
        why: expect.stringMatching(/hit a reject control, not a accept one/),
      }),
    ]);
  });

  it('a click on a control of unknown meaning corroborates nothing', () => {
    seq = 0;
    const r = assignPhases([click('En savoir plus', 1000), tcfDecision(1200), beacon(1500)]);
    expect(r.decisions).toEqual([]);
    expect(r.untrustedDecisions[0]!.why).toMatch(/unknown meaning/);
  });

  it('a real click on "Tout accepter" still corroborates the page-reported acceptance', () => {
    seq = 0;
    const r = assignPhases([click('Tout accepter', 1000), tcfDecision(1200), beacon(1500)]);
    expect(r.decisions.map((d) => d.decision)).toEqual(['accept']);
    expect(r.observations.at(-1)!.phase).toBe('after-accept');
  });
});
