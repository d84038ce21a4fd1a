// A reference, not a product and not the baseline: the cheapest HTTP/1.1 reverse proxy we know how to
// run on Node, to show how much of node-proxy's cost is node:http's request and response objects.
// Node's own llhttp (the parser node:http uses, reached through the undocumented `_http_common`
// module) parses each request straight off the socket; the response head is written as one string
// beside the body, corked into one writev; forwarding is node-proxy's undici Pool dispatch. No
// IncomingMessage, ServerResponse, timeouts or pipelining, and bodiless requests only: enough for
// wrk's GET, nothing more. Run it by naming it: BENCH_ONLY=node-floor,... (see bench/proxy.js).
//   node bench/support/node-floor.js LISTEN_PORT UPSTREAM_PORT
import http from 'node:http';
import net from 'node:net';
import common from '_http_common';
import { Pool } from 'undici';

const { HTTPParser, methods } = common;
const [listenPort, upstreamPort] = process.argv.slice(2).map(Number);
const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);
const kOnHeadersComplete = HTTPParser.kOnHeadersComplete | 0;
const kOnBody = HTTPParser.kOnBody | 0;
const kOnMessageComplete = HTTPParser.kOnMessageComplete | 0;

class Relay {
  constructor(socket) {
    this.socket = socket;
    this.head = '';
  }
  onConnect() {}
  onHeaders(status, raw) {
    if (status < 200) return true;
    let head = `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n`;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i].toString('latin1');
      if (!HOP.has(name.toLowerCase())) head += `${name}: ${raw[i + 1].toString('latin1')}\r\n`;
    }
    this.head = `${head}connection: keep-alive\r\n\r\n`;
    return true;
  }
  onData(chunk) {
    const s = this.socket;
    s.cork();
    if (this.head !== '') s.write(this.head, 'latin1');
    this.head = '';
    s.write(chunk);
    s.uncork();
    return true;
  }
  onComplete() {
    if (this.head !== '') this.socket.write(this.head, 'latin1');
  }
  onError() {
    this.socket.destroy();
  }
}

const server = net.createServer({ noDelay: true }, (socket) => {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, 16384, 0);
  parser[kOnHeadersComplete] = (_major, _minor, headers, method, url) => {
    const out = {};
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i].toLowerCase();
      if (!HOP.has(name)) out[name] = headers[i + 1];
    }
    out['x-forwarded-for'] = socket.remoteAddress;
    pool.dispatch({ method: methods[method], path: url, headers: out }, new Relay(socket));
    return 0;
  };
  parser[kOnBody] = () => socket.destroy();
  parser[kOnMessageComplete] = () => undefined;
  socket.on('data', (d) => {
    if (parser.execute(d) instanceof Error) socket.destroy();
  });
  socket.on('error', () => undefined);
  socket.on('close', () => parser.free());
});
server.listen(listenPort, '127.0.0.1', () => process.stdout.write('ready\n'));
