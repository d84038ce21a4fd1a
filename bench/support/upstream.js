// The benchmark's one upstream: node:http, keep-alive, a small fixed JSON body. Run as its own process.
//   node bench/support/upstream.js PORT
import http from 'node:http';

const body = Buffer.from(JSON.stringify({ sku: 'sku-123', quantity: 42 }));
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 120_000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('ready\n'));
