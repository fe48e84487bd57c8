import fc from 'fast-check';
import { clampTime, isoTime, MAX_TIME, MIN_TIME } from './lib/time.ts';
function oldIso(t: number): string {
  const instant = new Date(clampTime(t));
  const offset = -Math.round(instant.getTimezoneOffset());
  const shifted = instant.getTime() + offset * 60_000;
  if (!Number.isFinite(offset) || shifted > MAX_TIME || shifted < MIN_TIME) return instant.toISOString();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${new Date(shifted).toISOString().slice(0, -1)}${zone}`;
}
let n = 0;
const check = (t: number) => { n++; const a = isoTime(t), b = oldIso(t); if (a !== b) { console.log('DIFF', t, a, b); process.exit(1); } };
for (const t of [NaN, Infinity, -Infinity, 0, -1, 1, MAX_TIME, MIN_TIME, MAX_TIME + 1, MIN_TIME - 1, -0.5, 0.5, 1.7e12 + 0.3, -2208988800000, -2208988800001, Date.UTC(2000,1,29), Date.UTC(1900,1,28,23,59), Date.UTC(2100,2,1)]) check(t);
fc.assert(fc.property(fc.double({ min: MIN_TIME * 1.1, max: MAX_TIME * 1.1, noNaN: false }), (t) => { check(t); return true; }), { numRuns: 300000 });
fc.assert(fc.property(fc.integer({ min: MIN_TIME - 1e9, max: MAX_TIME + 1e9 }), (t) => { check(t); return true; }), { numRuns: 300000 });
fc.assert(fc.property(fc.integer({ min: -3e12, max: 3e12 }), (t) => { check(t); return true; }), { numRuns: 300000 });
for (let t = MIN_TIME - 1e6; t < MIN_TIME + 1e8; t += 997) check(t);
for (let t = MAX_TIME - 1e8; t < MAX_TIME + 1e6; t += 997) check(t);
for (let d = -719528; d < 2932897; d++) check(d * 86400000 + (d % 86400000));
console.log('ok', n);
