// inventory-service: the demo's upstream behind latticed. It used to trust callers by source IP; now
// latticed authenticates them and tells it who called in x-amzn-lattice-identity.
//   PORT (default 9001), HOST (default 127.0.0.1)
import http from 'node:http';
import { readBody, received, sendJson } from './echo.js';

const stock = { 'sku-123': 42, 'sku-456': 7 };

const server = http.createServer(async (req, res) => {
  const body = await readBody(req);
  if (req.url === '/healthz') return sendJson(res, 200, { ok: true });
  sendJson(res, 200, { service: 'inventory-service', stock, received: received(req, body) });
});
server.listen(Number(process.env.PORT ?? 9001), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`inventory-service listening on http://${process.env.HOST ?? '127.0.0.1'}:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
