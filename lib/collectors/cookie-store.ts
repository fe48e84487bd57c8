/**
 * Which cookie store a cookie change or a stored cookie belongs to. A tab reads and writes one store:
 * Firefox's default (`firefox-default`), a container (`firefox-container-N`) or a private window;
 * Chromium's regular (`0`) or incognito (`1`) one. An audit records only its tab's store: the auditor's
 * own cookies in the default store are no evidence of a container audit, and the reverse.
 */

/**
 * True when a cookie of `cookieStoreId` may belong to an audit of a tab in `tabStoreId`. An unknown
 * side (an older browser, a tab whose store is not read yet) keeps the cookie: losing evidence is
 * worse than one store's cookie of the same site in another's audit.
 */
export function inTabStore(cookieStoreId: string | undefined, tabStoreId: string | undefined): boolean {
  if (!cookieStoreId || !tabStoreId) return true;
  return cookieStoreId === tabStoreId;
}

/** The store a `cookies.getAll` of a tab's audit should read: its own, unless unknown (then the browser's default). */
export function storeFilter(tabStoreId: string | undefined): { storeId?: string } {
  return tabStoreId ? { storeId: tabStoreId } : {};
}
