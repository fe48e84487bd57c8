/**
 * A forward proxy on 127.0.0.1 that applies Chromium-style host rules, so `--host-rules` means the
 * same in Firefox as in Chromium. HTTPS goes through CONNECT as an opaque tunnel: the browser still
 * speaks TLS to the real hostname (SNI, certificate and origin unchanged), only the TCP destination
 * is rewritten, exactly as `--host-resolver-rules` does.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';
import { resolveHost, type HostRule } from './host-rules.ts';

export interface RulesProxy {
  port: number;
  close(): Promise<void>;
}

/** Splits a CONNECT authority (`host:port`, `[v6]:port`). */
function authority(text: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  return m ? { host: m[1]!, port: Number(m[2]) } : undefined;
}

/** Starts the proxy on a random loopback port. */
export async function startRulesProxy(rules: readonly HostRule[]): Promise<RulesProxy> {
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };

  // Plain-HTTP requests in absolute form (`GET http://host/path`): forwarded to the rewritten address.
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const port = Number(target.port || 80);
    const to = resolveHost(rules, target.hostname, port);
    if ('notFound' in to) {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`${target.hostname}: not found (host rules)\n`);
      return;
    }
    const upstream = http.request(
      { host: to.host, port: to.port, method: req.method, path: target.pathname + target.search, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('connection', track);

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    // A CONNECT socket leaves the HTTP server's care: a reset while we answer 502 must not throw.
    client.on('error', () => undefined);
    const from = authority(req.url ?? '');
    const to = from ? resolveHost(rules, from.host, from.port) : { notFound: true as const };
    if ('notFound' in to) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    let open = false;
    const upstream = net.connect(to.port, to.host, () => {
      open = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    // Refused before the tunnel opened: tell the browser; after, the TLS stream just ends.
    upstream.on('error', () =>
      open
        ? client.destroy()
        : client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
    );
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => open && client.destroy());
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  return {
    port,
    close: async () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
