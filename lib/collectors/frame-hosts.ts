import { siteOf } from '../site';

/** The cross-site frame hosts seen in each audited tab, with the audit they were seen in (by tab id). */
export type FrameHosts = Record<number, { auditId: string; hosts: string[] }>;

/**
 * Match patterns for the frame scripts: every host framed by an audited tab, once, sorted; hosts of
 * sites a policy declares are left out, since their own registration already covers every frame
 * (a frame matched by both would run the hook twice).
 */
export function frameMatches(hosts: FrameHosts, isPolicySite: (site: string) => boolean): string[] {
  const all = new Set<string>();
  for (const entry of Object.values(hosts))
    for (const host of entry.hosts) if (host && !isPolicySite(siteOf(host))) all.add(`*://${host}/*`);
  return [...all].sort();
}

/**
 * The URL a page-world report is recorded at. The hook says which document it ran in, but a frame
 * could claim another's URL (a cross-site frame posing as the audited site, or as another vendor):
 * the claim stands only within the origin of the frame the browser says sent it. Frames without an
 * http(s) URL of their own (about:blank, srcdoc) keep the claim, which the browser cannot check.
 */
export function reportUrl(claimed: string, senderUrl: string | undefined): string {
  if (!senderUrl || !/^https?:/i.test(senderUrl) || !URL.canParse(senderUrl)) return claimed;
  if (URL.canParse(claimed) && new URL(claimed).origin === new URL(senderUrl).origin) return claimed;
  return senderUrl;
}
