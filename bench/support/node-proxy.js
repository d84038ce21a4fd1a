// The baseline: the strongest plain Node reverse proxy we know how to write. node:http in, an undici
// Pool out (keep-alive), bodies streamed both ways, hop-by-hop headers dropped. No auth, no log.
//   node bench/support/node-proxy.js LISTEN_PORT UPSTREAM_PORT
import http from 'node:http';
import { pipeline } from 'node:stream';
import { Pool } from 'undici';

const [listenPort, upstreamPort] = process.argv.slice(2).map(Number);
const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 128, keepAliveTimeout: 60_000 });
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

const server = http.createServer(async (req, res) => {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k)) headers[k] = v;
  headers['x-forwarded-for'] = req.socket.remoteAddress;
  try {
    const up = await pool.request({
      method: req.method,
      path: req.url,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req,
    });
    const out = {};
    for (const [k, v] of Object.entries(up.headers)) if (!HOP.has(k)) out[k] = v;
    res.writeHead(up.statusCode, out);
    pipeline(up.body, res, () => {});
  } catch {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  }
});
server.keepAliveTimeout = 120_000;
server.listen(listenPort, '127.0.0.1', () => process.stdout.write('ready\n'));
