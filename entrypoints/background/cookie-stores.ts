/**
 * The cookie store of each tab (Firefox `tab.cookieStoreId`; Chromium `cookies.getAllCookieStores()`),
 * kept for the worker's life: cookie changes are filtered synchronously against it, and a report built
 * after its tab closed still reads the right store.
 */
const known = new Map<number, string>();

type Stores = { getAllCookieStores(): Promise<Array<{ id: string; tabIds: number[] }>> };

/** The store of a tab when already read. */
export function knownStoreOf(tabId: number): string | undefined {
  return known.get(tabId);
}

/** Records a tab's store (the container audit knows it when it opens the tab). */
export function setStoreOf(tabId: number, storeId: string): void {
  known.set(tabId, storeId);
}

/** The store of a tab: kept, or read from the browser (undefined when it cannot say). */
export async function storeOf(tabId: number): Promise<string | undefined> {
  const kept = known.get(tabId);
  if (kept) return kept;
  const tab = (await Promise.resolve()
    .then(() => browser.tabs.get(tabId))
    .catch(() => undefined)) as { cookieStoreId?: string } | undefined;
  let id = tab?.cookieStoreId;
  if (!id) {
    const stores = await Promise.resolve()
      .then(() => (browser.cookies as unknown as Stores).getAllCookieStores())
      .catch(() => []);
    id = stores.find((s) => s.tabIds.includes(tabId))?.id;
  }
  if (id) known.set(tabId, id);
  return id;
}
