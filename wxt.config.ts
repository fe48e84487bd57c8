import { defineConfig } from 'wxt';

/** Gecko id: stable so tests can pin the moz-extension UUID through `extensions.webextensions.uuids`. */
export const GECKO_ID = 'consent-auditor@compliance.local';

/** The strict content security policy of the extension's own pages (popup, options, background). */
export const EXTENSION_PAGES_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

/**
 * Content scripts that run in every frame of an audited page and are built on the browser's own API
 * (components/content-runtime.ts): for them `wxt/browser` is @wxt-dev/browser, not the polyfill the
 * module below wires for every other entrypoint, so the page does not parse it at document_start.
 */
export const NATIVE_API_SCRIPTS = ['relay', 'consent', 'autoconsent', 'page-hook'];

// See https://wxt.dev/api/config.html
export default defineConfig({
  hooks: {
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((e) => e.type === 'content-script' && NATIVE_API_SCRIPTS.includes(e.name))) return;
      const alias = config.resolve?.alias ?? [];
      const list = Array.isArray(alias)
        ? alias
        : Object.entries(alias as Record<string, string>).map(([find, replacement]) => ({ find, replacement }));
      // First match wins: this comes before the polyfill module's alias.
      config.resolve = {
        ...config.resolve,
        alias: [{ find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' }, ...list],
      };
    },
  },
  modules: ['@wxt-dev/module-svelte', '@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    // From locales/<lang>.json (the `_locales` WXT's i18n module writes); the browser picks its language.
    name: '__MSG_extension_name__',
    description: '__MSG_extension_description__',
    default_locale: 'en',
    // Every permission is needed for auditing; a test guards this list against silent growth.
    // Firefox alone has containers: `contextualIdentities` opens an audit in a dedicated one.
    permissions: [
      'storage',
      'unlimitedStorage',
      'cookies',
      'webRequest',
      // History-API pages, prerender activations and back/forward-cache restores (navigation-collector.ts).
      'webNavigation',
      'scripting',
      'browsingData',
      // Firefox keeps blocking webRequest in MV3: a frame of an audited tab waits for its content scripts.
      // `dns`: Firefox only (Chromium has none), to uncloak CNAMEs of the audited site's hosts.
      ...(browser === 'firefox' ? ['contextualIdentities', 'webRequestBlocking', 'dns'] : []),
    ],
    // Read-only uses, asked for in the popup when the auditor wants them recorded: third-party cookie
    // blocking (`privacy`) and the other enabled extensions (`management`) change what an audit sees.
    optional_permissions: ['privacy', 'management'],
    // Chrome only delivers webRequest events for hosts the extension may access, for both the
    // request URL and its initiator: an auditor that must see unknown third parties needs them all.
    host_permissions: ['<all_urls>'],
    action: { default_title: 'Consent Auditor' },
    // Extension pages run only our own bundled code, load nothing remote and can be framed by no one.
    // `connect-src 'self'`: the extension sends nothing anywhere. Inline styles stay allowed because Svelte
    // writes `style` attributes; scripts never.
    content_security_policy: {
      extension_pages: EXTENSION_PAGES_CSP,
    },
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
