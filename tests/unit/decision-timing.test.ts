import { describe, expect, it } from 'vitest';
import { gestureObservation } from '../../lib/collectors/consent-events';
import { assignPhases, MARK_ADOPTS_CLICK_MS } from '../../lib/engine/phases';
import type { Observation } from '../../lib/observations';
import { decisionRecord } from '../../lib/report/decision-record';
import { isoTime, localTime, localTimeZone } from '../../lib/time';

const T = Date.parse('2026-12-01T11:04:13.793Z');
const ctx = (time: number) => ({ time, tabId: 1, frameId: 0, topSite: 'o2toit.com' });
let seq = 0;
const stamp = (o: object) => ({ ...o, seq: ++seq }) as Observation;
const click = (text: string, time: number, extra: object = {}) =>
  stamp(
    gestureObservation(
      { kind: 'gesture', time, url: 'https://www.o2toit.com/', target: `button "${text}"`, ...extra },
      ctx(time),
    ),
  );
const mark = (decision: 'accept' | 'reject', time: number) =>
  stamp({
    kind: 'consent',
    time,
    tabId: 1,
    frameId: 0,
    url: 'https://www.o2toit.com/',
    topSite: 'o2toit.com',
    source: 'extension',
    trusted: true,
    event: 'decision',
    decision,
    timeSource: 'mark',
    how: `the auditor's own mark in the popup`,
  });

describe('decision timing', () => {
  it('a real click on a banner control whose words say refuse is the decision, dated at the click', () => {
    seq = 0;
    const r = assignPhases([
      click('Continuer sans accepter', T, { control: 'reject', controlKind: 'refuse', inBanner: true }),
    ]);
    expect(r.decisions).toHaveLength(1);
    expect(decisionRecord(r.decisions[0]!)).toMatchObject({
      decision: 'reject',
      time: isoTime(T),
      timeSource: 'click',
    });
  });

  it('the same words outside a banner are only a gesture (a form "Accepter" is no consent)', () => {
    seq = 0;
    expect(assignPhases([click('Accepter', T, { control: 'accept', controlKind: 'accept' })]).decisions).toEqual([]);
  });

  it('a mark adopts the last fitting click within the window, and says which click and when it was marked', () => {
    seq = 0;
    const r = assignPhases([click('×', T, { controlKind: 'close', inBanner: true }), mark('reject', T + 60_000)]);
    const d = decisionRecord(r.decisions[0]!);
    expect(d).toMatchObject({
      decision: 'reject',
      time: isoTime(T),
      timeSource: 'click',
      click: { target: 'button "×"', time: isoTime(T) },
      markedAt: isoTime(T + 60_000),
    });
    expect(d.how).toMatch(/dated at the real click on button "×" 60 s before the mark/);
  });

  it('without a click in the window, the mark keeps its time and the report says so', () => {
    seq = 0;
    const late = T + MARK_ADOPTS_CLICK_MS + 1;
    const r = assignPhases([click('×', T, { controlKind: 'close', inBanner: true }), mark('reject', late)]);
    const d = decisionRecord(r.decisions[0]!);
    expect(d).toMatchObject({ time: isoTime(late), timeSource: 'mark' });
    expect(d.click).toBeUndefined();
    expect(d.how).toMatch(/dated at the mark/);
  });

  it('a click of an unfitting kind is not adopted: "I accepted" after a click on "Tout refuser"', () => {
    seq = 0;
    const r = assignPhases([
      click('Tout refuser', T, { control: 'reject', controlKind: 'refuse', inBanner: true }),
      mark('accept', T + 5000),
    ]);
    expect(r.decisions.map((d) => [d.decision, d.timeSource, d.time])).toEqual([
      ['reject', 'click', T],
      ['accept', 'mark', T + 5000],
    ]);
  });

  it('times carry the date and the zone offset; the zone is named', () => {
    // The unit project runs in Europe/Paris (vitest.config.ts): winter +01:00, summer +02:00.
    expect(isoTime(T)).toBe('2026-12-01T12:04:13.793+01:00');
    expect(isoTime(Date.parse('2026-07-01T10:00:00Z'))).toBe('2026-07-01T12:00:00.000+02:00');
    expect(Date.parse(isoTime(T))).toBe(T);
    expect(localTimeZone()).toBe('Europe/Paris');
    expect(localTime(T, 'en-GB')).toMatch(/1 Dec 2026, 12:04:13 (CET|GMT\+1)/);
  });
});
