import type { DnsObservation, RequestObservation } from '@/lib/observations';
import type { RecordSink } from './sinks';

/** The part of Firefox's `dns` API we use (`dns.resolve(host, ["canonical_name"])`). */
interface DnsApi {
  resolve(host: string, flags?: string[]): Promise<{ canonicalName?: string; addresses?: string[] }>;
}

/**
 * CNAME uncloaking, Firefox only: each host of the audited site that a request of the audit went
 * to is resolved once per audit with `dns.resolve(host, ["canonical_name"])`, and a canonical name
 * that differs from the host is recorded as a `dns` observation (lib/knowledge/cloaking.ts judges
 * it). Chromium has no DNS API (no `browser.dns`): there this unit does nothing, and the known
 * set-ups' request shapes stand in.
 *
 * Off the hot path: the webRequest listener only hands the recorded request over; the lookup runs
 * in a later task and its answer is recorded when it comes, into the audit that asked, if that
 * audit is still the tab's. The resolver's own lookup goes through the browser's cache (the
 * request just resolved the host), and sends nothing to the site. A worker restart forgets which
 * hosts were resolved: a host may then be resolved, and recorded, twice; the first answer counts.
 */
export function cnameResolver(deps: { sink: RecordSink; dns?: DnsApi }) {
  const { sink } = deps;
  /** Per tab: its audit and the hosts already asked for. */
  const asked = new Map<number, { auditId: string; hosts: Set<string> }>();
  const dnsApi = (): DnsApi | undefined => deps.dns ?? (browser as unknown as { dns?: DnsApi }).dns;

  async function lookup(api: DnsApi, tabId: number, auditId: string, o: RequestObservation): Promise<void> {
    let canonical: string | undefined;
    try {
      canonical = (await api.resolve(o.host, ['canonical_name'])).canonicalName;
    } catch {
      return; // no answer (offline, a proxy resolves names): nothing to say
    }
    const name = canonical?.toLowerCase().replace(/\.$/, '');
    if (!name || name === o.host || sink.auditOf(tabId)?.auditId !== auditId) return;
    const observation: Omit<DnsObservation, 'seq'> = {
      kind: 'dns',
      time: Date.now(),
      tabId,
      frameId: -1,
      url: `https://${o.host}/`,
      topSite: o.topSite,
      source: 'dns-api',
      host: o.host,
      canonicalName: name,
    };
    sink.record(tabId, observation);
  }

  return {
    /** A request the collector recorded: its host is resolved later, once per audit, when it is the site's. */
    saw(tabId: number, o: Omit<RequestObservation, 'seq'>): void {
      const api = dnsApi();
      if (!api || o.thirdParty || !o.host) return;
      const meta = sink.auditOf(tabId);
      if (!meta) return;
      let entry = asked.get(tabId);
      if (!entry || entry.auditId !== meta.auditId)
        asked.set(tabId, (entry = { auditId: meta.auditId, hosts: new Set() }));
      if (entry.hosts.has(o.host)) return;
      entry.hosts.add(o.host);
      const auditId = meta.auditId;
      setTimeout(() => void lookup(api, tabId, auditId, o as RequestObservation), 0);
    },
    /** The tab closed: its hosts are forgotten. */
    forget(tabId: number): void {
      asked.delete(tabId);
    },
  };
}

export type CnameResolver = ReturnType<typeof cnameResolver>;
