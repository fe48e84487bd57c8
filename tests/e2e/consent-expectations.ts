/**
 * The consent matrix: each fixture banner, in three runs (no action, accept, refuse), with the
 * platform the extension must detect and the exact findings of the four consent rules.
 * See tests/fixtures/sites/www.o2toit.com/consent/ for what each page does.
 */
import type { AuditReport } from '../../lib/report/types';
import { has, type ScenarioSpec } from './consent-scenarios';

export interface BannerCase {
  page: string;
  platform: string | undefined;
  selectors?: { accept: string; reject: string };
  ready: (r: AuditReport) => boolean;
  settled: Record<'none' | 'accept' | 'reject', (r: AuditReport) => boolean>;
  findings: Record<'none' | 'accept' | 'reject', string[]>;
}

const stored = (decision: string) => (r: AuditReport) =>
  r.observations.consent.some(
    (c) => c.event === 'decision-stored' && c.decision === decision && c.phase !== 'before-consent',
  );
const tcfAction = (r: AuditReport) => r.observations.consent.some((c) => c.how.includes('useractioncomplete'));

const GA_COOKIE = 'cookie-before-consent:_ga@o2toit.com';
const GA_KEPT = 'tracking-after-refusal:google-analytics';

export const BANNERS: BannerCase[] = [
  {
    // The 'tarteaucitron deny' variant: autoconsent's other tarteaucitron rule accepts before it refuses.
    page: 'tarteaucitron-deny.html',
    platform: 'tarteaucitron.js',
    ready: has.banner('tarteaucitron'),
    settled: {
      none: has.banner('tarteaucitron'),
      accept: has.all(stored('accept'), has.request('/g/collect')),
      reject: stored('reject'),
    },
    findings: { none: [], accept: [], reject: [] },
  },
  {
    page: 'axeptio.html',
    platform: 'Axeptio',
    ready: has.banner('Axeptio'),
    settled: {
      none: has.banner('Axeptio'),
      accept: has.request('facebook.com/tr'),
      reject: has.all(stored('reject'), has.request('facebook.com/tr')),
    },
    // Axeptio's fixture loads the Meta pixel even after a refusal.
    findings: { none: [], accept: [], reject: ['tracking-after-refusal:meta-pixel'] },
  },
  {
    page: 'tcf.html',
    platform: 'IAB TCF CMP #300',
    selectors: { accept: '#tcf-accept', reject: '#tcf-reject' },
    ready: has.all(has.banner('IAB TCF'), has.request('/g/collect'), has.storedCookie('_ga')),
    settled: {
      none: has.all(has.banner('IAB TCF'), has.request('/g/collect'), has.storedCookie('_ga')),
      accept: tcfAction,
      reject: tcfAction,
    },
    // The TCF stub publishes a consented TC string and a granted Consent Mode hit on landing.
    findings: {
      none: ['consent-signal-before-decision:google-consent-mode', 'consent-signal-before-decision:iab-tcf', GA_COOKIE],
      accept: [
        'consent-signal-before-decision:google-consent-mode',
        'consent-signal-before-decision:iab-tcf',
        GA_COOKIE,
      ],
      reject: [
        'consent-signal-before-decision:google-consent-mode',
        'consent-signal-before-decision:iab-tcf',
        GA_COOKIE,
        GA_KEPT,
      ],
    },
  },
  {
    page: 'custom.html',
    platform: undefined,
    selectors: { accept: '#cc-accept', reject: '#cc-refuse' },
    ready: has.all(has.request('/g/collect'), has.storedCookie('_ga'), (r) =>
      r.observations.storage.some((s) => s.key.startsWith('_hjSessionUser')),
    ),
    settled: {
      none: has.all(has.request('/g/collect'), has.storedCookie('_ga'), (r) =>
        r.observations.storage.some((s) => s.key.startsWith('_hjSessionUser')),
      ),
      accept: has.request('facebook.com/tr'),
      reject: (r) => r.observations.cookies.some((c) => c.name === 'cc_consent' && c.phase === 'after-reject'),
    },
    // The custom banner's page writes analytics and Hotjar identifiers before anyone chooses.
    findings: {
      none: [GA_COOKIE, 'storage-before-consent:_hjSessionUser_123456@https://www.o2toit.com'],
      accept: [GA_COOKIE, 'storage-before-consent:_hjSessionUser_123456@https://www.o2toit.com'],
      reject: [GA_COOKIE, 'storage-before-consent:_hjSessionUser_123456@https://www.o2toit.com', GA_KEPT],
    },
  },
];

export function specOf(banner: BannerCase, action: 'none' | 'accept' | 'reject'): ScenarioSpec {
  return {
    page: banner.page,
    action,
    ...(banner.selectors && action !== 'none' ? { selectors: banner.selectors } : {}),
    ready: banner.ready,
    settled: banner.settled[action],
  };
}
