// The baseline: the strongest plain Node reverse proxy we know how to write. node:http in, an undici
// Pool out (keep-alive), each request handed to Pool.dispatch() with a minimal handler that writes
// the response straight into the client's: bodies stream both ways with backpressure, and there is
// no per-request stream wrapper (this measured ~3 µs per request cheaper than Pool.stream()).
// Hop-by-hop headers dropped. No auth, no access log. A client that leaves mid-response releases the
// upstream connection (an earlier version paused it forever, and the pool ran dry after many wrk runs).
// With `--batched` (a reference row, not the baseline): writes held to the end of the poll phase by
// latticed's own end-of-poll module (dist/dataplane/end-of-poll.js): each response's socket corked
// until setImmediate, each bodiless request dispatched there.
//   node bench/support/node-proxy.js LISTEN_PORT UPSTREAM_PORT [--batched]
import http from 'node:http';
import { Pool } from 'undici';
import { CheckPhaseQueue, holdUntilCheck } from '../../dist/dataplane/end-of-poll.js';

const [listenPort, upstreamPort] = process.argv.slice(2, 4).map(Number);
const batched = process.argv.includes('--batched');
const dispatches = new CheckPhaseQueue((dispatch) => dispatch());
const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

function copyHeaders(from) {
  const out = {};
  for (const k in from) if (!HOP.has(k)) out[k] = from[k];
  return out;
}

class Relay {
  constructor(res) {
    this.res = res;
    this.resume = null;
  }
  onConnect() {}
  onHeaders(statusCode, raw, resume) {
    if (statusCode < 200) return true;
    const headers = {};
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i].toString('latin1').toLowerCase();
      if (HOP.has(k)) continue;
      const v = raw[i + 1].toString('latin1');
      const prev = headers[k];
      headers[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    this.res.writeHead(statusCode, headers);
    this.resume = resume;
    return true;
  }
  onData(chunk) {
    // A client that went away never drains: pausing for it would strand the pooled connection.
    if (this.res.destroyed || this.res.write(chunk)) return true;
    this.res.once('drain', this.resume);
    this.res.once('close', this.resume);
    return false;
  }
  onComplete() {
    this.res.end();
  }
  onError() {
    if (!this.res.headersSent) this.res.writeHead(502).end();
    else this.res.destroy();
  }
}

const server = http.createServer((req, res) => {
  const headers = copyHeaders(req.headers);
  headers['x-forwarded-for'] = req.socket.remoteAddress;
  const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  const options = { method: req.method, path: req.url, headers, body: hasBody ? req : undefined };
  if (!batched) return void pool.dispatch(options, new Relay(res));
  holdUntilCheck(res.socket);
  if (hasBody) pool.dispatch(options, new Relay(res));
  else dispatches.add(() => pool.dispatch(options, new Relay(res)));
});

server.keepAliveTimeout = 120_000;
server.listen(listenPort, '127.0.0.1', () => process.stdout.write('ready\n'));
