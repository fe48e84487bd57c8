/**
 * Letting a page settle: `--wait` ms after its load event, then until the extension has recorded
 * nothing new for a quiet second, bounded. Late beacons and cookie writes are what an audit is for,
 * so a fixed sleep alone would cut them off on a slow site.
 */
import { ask, type EvaluatingPage } from '../browser/extension-client.ts';
import { timed } from './timings.ts';

const QUIET_MS = 1_000;
const MAX_EXTRA_MS = 10_000;
const POLL_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Observations the extension holds for the tab's current audit (in memory: no flush needed). */
async function count(control: EvaluatingPage, tabId: number): Promise<number | undefined> {
  try {
    const status = await ask(control, { type: 'status' });
    return status.audits.find((a) => a.tabId === tabId)?.observations;
  } catch {
    return undefined; // the worker may be restarting: try again on the next poll
  }
}

/** Waits for the page to settle and returns the tab's observation count. */
export async function settle(control: EvaluatingPage, tabId: number, waitMs: number, lane = 'audit'): Promise<number> {
  return timed(lane, 'settle', () => settleNow(control, tabId, waitMs));
}

async function settleNow(control: EvaluatingPage, tabId: number, waitMs: number): Promise<number> {
  await sleep(waitMs);
  const deadline = Date.now() + MAX_EXTRA_MS;
  let last = await count(control, tabId);
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < QUIET_MS) {
    await sleep(POLL_MS);
    const now = await count(control, tabId);
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
  return last ?? 0;
}
