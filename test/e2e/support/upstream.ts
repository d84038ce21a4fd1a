/** An upstream app for the tests: answers 200 with what it received, and remembers every request. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface Upstream {
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/healthz') {
        res.end('ok');
        return;
      }
      seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      const body = JSON.stringify({ method: req.method, url: req.url, headers: req.headers });
      // /public/slow answers after 500 ms: an in-flight request for the drain tests.
      const delay = req.url!.startsWith('/public/slow') ? 500 : 0;
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), delay);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
