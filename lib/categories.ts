/**
 * Our own purpose vocabulary. The knowledge base classifies every vendor, cookie and storage key
 * into one of these; declared policies map their wording onto the same list.
 */
export const CATEGORIES = [
  'strictly-necessary',
  'consent-management',
  'audience-measurement',
  'advertising',
  'social-media',
  'embedded-content',
  'customer-interaction',
  'security',
  'session-recording',
  'ab-testing',
  'cdn-hosting',
  'functional',
] as const;

export type Category = (typeof CATEGORIES)[number];

/**
 * Whether a category needs the visitor's consent under the CNIL guidelines (17 Sept 2020) and
 * EDPB Guidelines 2/2023, absent a vendor-specific override. Audience measurement is exempt only
 * under strict conditions that third-party analytics do not meet, so it defaults to "needs consent";
 * a vendor entry may set `needsConsent: false` for a CNIL-exempt configuration.
 */
export const CATEGORY_NEEDS_CONSENT: Record<Category, boolean> = {
  'strictly-necessary': false,
  'consent-management': false,
  'audience-measurement': true,
  advertising: true,
  'social-media': true,
  'embedded-content': true,
  'customer-interaction': true,
  security: false,
  'session-recording': true,
  'ab-testing': true,
  'cdn-hosting': false,
  functional: false,
};

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
