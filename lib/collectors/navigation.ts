/**
 * Pages the visitor sees without a top-level document request, from webNavigation events (trusted,
 * unlike anything the page world says):
 * - `onHistoryStateUpdated`: `history.pushState` / `replaceState` in the top frame (single-page apps);
 * - Chromium's `onCommitted` of a document it committed before: `documentId` stays the same when a
 *   prerendered page is activated or a page comes back from the back/forward cache (both fire
 *   onBeforeNavigate, onCommitted, onCompleted again with `documentLifecycle` `active`). Which of the
 *   two is known from the document's first commit: `prerender` or `active`. Firefox has no
 *   `documentId`: there a bfcache restore is not told apart (its requests are none either way).
 */
import type { PageObservation } from '../observations';

/** The fields of a webNavigation event we read (Chromium adds the lifecycle ones). */
export interface RawNavigation {
  tabId: number;
  frameId: number;
  url: string;
  timeStamp: number;
  documentId?: string;
  documentLifecycle?: string;
  frameType?: string;
}

type UnsequencedPage = Omit<PageObservation, 'seq'>;

/** The top frame of the page the visitor sees: Chromium's prerendered pages have top frames with other ids. */
export function isShownTopFrame(raw: RawNavigation): boolean {
  if (raw.frameType !== undefined && raw.frameType !== 'outermost_frame') return false;
  if (raw.documentLifecycle !== undefined && raw.documentLifecycle !== 'active') return false;
  return raw.frameId === 0;
}

function page(raw: RawNavigation, topSite: string, navigation: PageObservation['navigation']): UnsequencedPage {
  return {
    kind: 'page',
    navigation,
    time: raw.timeStamp,
    tabId: raw.tabId,
    frameId: 0,
    url: raw.url,
    topSite,
    source: 'webNavigation',
    ...(raw.documentId ? { documentId: raw.documentId } : {}),
  };
}

/** A history-API navigation of the shown top frame is a page. */
export function historyPage(raw: RawNavigation, topSite: string): UnsequencedPage | undefined {
  return isShownTopFrame(raw) ? page(raw, topSite, 'history') : undefined;
}

/**
 * Remembers, per tab, the documents Chromium committed and in which lifecycle they first did, so a
 * second commit of the same document is known for an activation or a restore. Memory only: after a
 * worker restart a restore is missed, and the page's requests are then judged when sent.
 */
export class CommittedDocuments {
  private readonly byTab = new Map<number, Map<string, string>>();

  /** The page record a commit makes, if it shows a document committed before; remembers the document. */
  committed(raw: RawNavigation, topSite: string | undefined): UnsequencedPage | undefined {
    if (!raw.documentId || (raw.frameType !== undefined && raw.frameType !== 'outermost_frame')) return undefined;
    let docs = this.byTab.get(raw.tabId);
    if (!docs) this.byTab.set(raw.tabId, (docs = new Map()));
    const first = docs.get(raw.documentId);
    if (first === undefined) {
      docs.set(raw.documentId, raw.documentLifecycle ?? 'active');
      return undefined;
    }
    if (!topSite || !isShownTopFrame(raw)) return undefined;
    return page(raw, topSite, first === 'prerender' ? 'prerender-activation' : 'back-forward-cache');
  }

  forget(tabId: number): void {
    this.byTab.delete(tabId);
  }
}
