/**
 * Google Consent Mode as GA4 and Google Ads hits carry it. `gcs=G1xy`: x is ad_storage and y
 * analytics_storage, 1 granted, 0 denied, `-` not set. `gcd` is undocumented: kept raw.
 */
export type ConsentModeState = 'granted' | 'denied' | 'unset';

export interface ConsentModeSignal {
  gcs?: string;
  gcd?: string;
  adStorage?: ConsentModeState;
  analyticsStorage?: ConsentModeState;
}

const STATE: Record<string, ConsentModeState> = { '1': 'granted', '0': 'denied', '-': 'unset' };

/** Decodes `gcs`; undefined when the value is not in the documented `G1xy` shape. */
export function decodeGcs(gcs: string): Pick<ConsentModeSignal, 'adStorage' | 'analyticsStorage'> | undefined {
  const match = /^G1([01-])([01-])$/.exec(gcs);
  if (!match) return undefined;
  return { adStorage: STATE[match[1]!]!, analyticsStorage: STATE[match[2]!]! };
}

/** Reads the Consent Mode parameters of a request URL (query string; GA4 beacons put them there). */
export function consentModeOf(url: string): ConsentModeSignal | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const gcs = params.get('gcs') ?? undefined;
  const gcd = params.get('gcd') ?? undefined;
  if (!gcs && !gcd) return undefined;
  return { ...(gcs ? { gcs, ...decodeGcs(gcs) } : {}), ...(gcd ? { gcd } : {}) };
}

export function grantsSomething(signal: ConsentModeSignal): boolean {
  return signal.adStorage === 'granted' || signal.analyticsStorage === 'granted';
}
