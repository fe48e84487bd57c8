/**
 * Listens to the page's IAB TCF v2 API (`__tcfapi('addEventListener', 2, cb)`): `cmpuishown` is the
 * banner-shown moment, `useractioncomplete` the decision, and every event carries the TC string.
 * CMPs install `__tcfapi` at any time, so the hook catches the assignment and also checks at load.
 */
import type { PageEvent } from '@/lib/messages';

type Report = (event: PageEvent) => void;
type TcfApi = (
  command: string,
  version: number,
  callback: (data: TcData, ok: boolean) => void,
  param?: unknown,
) => void;
interface TcData {
  eventStatus?: string;
  tcString?: string;
  cmpId?: number;
}

export function listenToTcf(report: Report): void {
  const w = globalThis as { __tcfapi?: TcfApi };
  let listening = false;
  const attach = (api: unknown) => {
    if (listening || typeof api !== 'function') return;
    listening = true;
    try {
      (api as TcfApi)('addEventListener', 2, (data, ok) => {
        if (!ok || !data || typeof data !== 'object') return;
        report({
          type: 'tcf',
          eventStatus: String(data.eventStatus ?? ''),
          ...(typeof data.tcString === 'string' ? { tcString: data.tcString.slice(0, 20_000) } : {}),
          ...(typeof data.cmpId === 'number' ? { cmpId: data.cmpId } : {}),
          time: Date.now(),
          url: location.href,
        });
      });
    } catch {
      listening = false;
    }
  };
  let current: unknown = w.__tcfapi;
  if (current) attach(current);
  try {
    Object.defineProperty(globalThis, '__tcfapi', {
      configurable: true,
      get: () => current,
      set(value) {
        current = value;
        // A stub queues calls until the real CMP replaces it; attach once something is there.
        queueMicrotask(() => attach(value));
      },
    });
  } catch {
    // Already defined non-configurable by the page: fall back to checking at load.
  }
  globalThis.addEventListener?.('load', () => attach(current));
}
