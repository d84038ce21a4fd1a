// The baseline: the strongest plain Node reverse proxy we know how to write. node:http in, an undici
// Pool out (keep-alive) whose stream() writes the response straight into the client's response, so
// bodies stream both ways with backpressure; hop-by-hop headers dropped. No auth, no access log.
//   node bench/support/node-proxy.js LISTEN_PORT UPSTREAM_PORT
import http from 'node:http';
import { Pool } from 'undici';

const [listenPort, upstreamPort] = process.argv.slice(2).map(Number);
const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

function copyHeaders(from) {
  const out = {};
  for (const k in from) if (!HOP.has(k)) out[k] = from[k];
  return out;
}

const server = http.createServer((req, res) => {
  const headers = copyHeaders(req.headers);
  headers['x-forwarded-for'] = req.socket.remoteAddress;
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  pool.stream(
    { method: req.method, path: req.url, headers, body: hasBody ? req : undefined, opaque: res },
    ({ statusCode, headers: upHeaders, opaque }) => {
      opaque.writeHead(statusCode, copyHeaders(upHeaders));
      return opaque;
    },
    (err) => {
      if (!err) return;
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    },
  );
});
server.keepAliveTimeout = 120_000;
server.listen(listenPort, '127.0.0.1', () => process.stdout.write('ready\n'));
