/**
 * TEST-ONLY: a DNS-over-HTTPS resolver (RFC 8484: `application/dns-message`, POST or GET `?dns=`) on
 * 127.0.0.1 with the fixture's TLS leaf, answering 127.0.0.1 for every name and CNAME records for the
 * given aliases. Firefox's resolver (`network.trr.mode` 3) asks it, so `dns.resolve(host,
 * ["canonical_name"])` in the extension sees the alias: the CNAME-cloaking e2e test.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { answerQuery, decodeMessage, encodeMessage, type DnsQuestion } from './dns-message';

const certs = fileURLToPath(new URL('../../fixtures/certs/', import.meta.url));

export interface DohServer {
  port: number;
  /** `network.trr.uri` value. */
  uri: string;
  /** Every question asked, in order. */
  questions: DnsQuestion[];
  /** Firefox prefs making its resolver use this server only (mode 3, no confirmation, not proxied). */
  firefoxPrefs: Record<string, string | number | boolean>;
  close(): Promise<void>;
}

export async function startDohServer(cnames: Record<string, string>): Promise<DohServer> {
  const aliases = new Map(Object.entries(cnames).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
  const questions: DnsQuestion[] = [];
  const server: Server = createServer(
    { cert: readFileSync(`${certs}leaf.pem`), key: readFileSync(`${certs}leaf-key.pem`) },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body: Buffer;
        if (req.method === 'GET') body = Buffer.from(url.searchParams.get('dns') ?? '', 'base64url');
        else body = Buffer.concat(chunks);
        if (url.pathname !== '/dns-query' || body.length === 0) {
          res.writeHead(404).end();
          return;
        }
        try {
          const query = decodeMessage(body);
          questions.push(...query.questions);
          const answer = encodeMessage(answerQuery(query, aliases));
          res.writeHead(200, {
            'Content-Type': 'application/dns-message',
            'Content-Length': answer.length,
            'Cache-Control': 'max-age=60',
          });
          res.end(answer);
        } catch {
          res.writeHead(400).end();
        }
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const uri = `https://127.0.0.1:${port}/dns-query`;
  return {
    port,
    uri,
    questions,
    firefoxPrefs: {
      'network.trr.mode': 3,
      'network.trr.uri': uri,
      'network.trr.custom_uri': uri,
      'network.trr.bootstrapAddr': '127.0.0.1',
      'network.trr.confirmationNS': 'skip',
      'network.trr.allow-rfc1918': true,
      'network.trr.disable-ECS': true,
      'network.trr.excluded-domains': '',
      'network.trr.builtin-excluded-domains': '',
      // The resolver talks to 127.0.0.1 directly, not through the fixture's forward proxy.
      'network.proxy.no_proxies_on': '127.0.0.1',
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
