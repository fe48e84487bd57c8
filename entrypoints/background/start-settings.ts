import type { StartSettings } from '@/lib/start-state';

type Setting = { get(details: object): Promise<{ value: unknown }> };
type Optional = {
  privacy?: { websites?: { thirdPartyCookiesAllowed?: Setting; cookieConfig?: Setting } };
  management?: {
    getAll(): Promise<Array<{ id: string; name: string; enabled: boolean; type: string }>>;
  };
};

const isFirefox = () =>
  typeof (browser.runtime as unknown as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';
const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The browser settings that change what an audit sees, each read where the browser lets an extension. */
export async function readSettings(tabId: number, storeId: string | undefined): Promise<StartSettings> {
  const { privacy, management } = browser as unknown as Optional;
  const firefox = isFirefox();
  const tab = (await browser.tabs.get(tabId).catch(() => undefined)) as { incognito?: boolean } | undefined;
  const notGranted = (permission: string) =>
    `the optional "${permission}" permission is not granted (popup: "Let audits read browser settings")`;
  let thirdPartyCookies: StartSettings['thirdPartyCookies'] = { state: 'unknown', how: notGranted('privacy') };
  try {
    if (firefox && privacy?.websites?.cookieConfig) {
      const { value } = (await privacy.websites.cookieConfig.get({})) as { value: { behavior?: string } };
      const behavior = value?.behavior ?? 'unknown';
      thirdPartyCookies = {
        state:
          behavior === 'allow_all'
            ? 'allowed'
            : behavior === 'reject_trackers_and_partition_foreign'
              ? 'partitioned'
              : behavior === 'unknown'
                ? 'unknown'
                : 'blocked',
        how: `privacy.websites.cookieConfig behavior ${behavior}`,
      };
    } else if (privacy?.websites?.thirdPartyCookiesAllowed) {
      const { value } = await privacy.websites.thirdPartyCookiesAllowed.get({});
      thirdPartyCookies = {
        state: value === false ? 'blocked' : 'allowed',
        how: `privacy.websites.thirdPartyCookiesAllowed ${String(value)}`,
      };
    }
  } catch (e) {
    thirdPartyCookies = { state: 'unknown', how: `the setting could not be read: ${reasonOf(e)}` };
  }
  let otherExtensions: StartSettings['otherExtensions'] = { state: 'unknown', how: notGranted('management') };
  if (management?.getAll) {
    try {
      const all = await management.getAll();
      const others = all.filter((e) => e.enabled && e.id !== browser.runtime.id && e.type === 'extension');
      otherExtensions = { state: others.map((e) => e.name).sort(), how: 'management.getAll(), enabled extensions' };
    } catch (e) {
      otherExtensions = { state: 'unknown', how: `management.getAll() failed: ${reasonOf(e)}` };
    }
  }
  const isContainer =
    !!storeId &&
    storeId !== 'firefox-default' &&
    storeId !== '0' &&
    storeId !== '1' &&
    !storeId.startsWith('firefox-private');
  // A container is named as the auditor sees it, with its store id.
  const identities = (browser as unknown as { contextualIdentities?: { get(id: string): Promise<{ name: string }> } })
    .contextualIdentities;
  const name = isContainer
    ? await identities?.get(storeId).then(
        (i) => i?.name,
        () => undefined,
      )
    : undefined;
  return {
    thirdPartyCookies,
    otherExtensions,
    ...(firefox
      ? {
          cookieBanners: {
            state: 'unknown',
            how: 'Firefox does not let extensions read cookiebanners.service.mode: check "Reduce cookie banners" in about:preferences#privacy',
          },
        }
      : {}),
    privateWindow: typeof tab?.incognito === 'boolean' ? tab.incognito : 'unknown',
    ...(isContainer ? { container: name ? `${name} (${storeId})` : storeId } : {}),
  };
}
