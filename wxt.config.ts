import { defineConfig } from 'wxt';

/** Gecko id: stable so tests can pin the moz-extension UUID through `extensions.webextensions.uuids`. */
export const GECKO_ID = 'consent-auditor@compliance.local';

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/module-svelte', '@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: 'Consent Auditor',
    description:
      'Audits a website against its declared privacy policy: cookies, storage and requests before and after consent.',
    // Every permission is needed for auditing; a test guards this list against silent growth.
    permissions: ['storage', 'unlimitedStorage', 'cookies', 'webRequest', 'scripting'],
    // Chrome only delivers webRequest events for hosts the extension may access, for both the
    // request URL and its initiator: an auditor that must see unknown third parties needs them all.
    host_permissions: ['<all_urls>'],
    action: { default_title: 'Consent Auditor' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: '128.0',
              // Nothing leaves the browser: the extension collects no data for itself.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
