// order-service: calls inventory-service THROUGH latticed with its own role credentials (the
// standard AWS_* variables, minted by `latticed credentials --role order-service-role`), signing each
// call with SigV4 for `vpc-lattice-svcs` exactly as an AWS SDK would (@smithy/signature-v4).
//   PORT (default 9002), LATTICED (default 127.0.0.1:8080), INVENTORY_HOST (default inventory.shop.internal)
import http from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { readBody, received, sendJson } from './echo.js';

const [latticedHost, latticedPort] = (process.env.LATTICED ?? '127.0.0.1:8080').split(':');
const inventoryHost = process.env.INVENTORY_HOST ?? 'inventory.shop.internal';
const signer = new SignatureV4({
  service: 'vpc-lattice-svcs',
  region: process.env.AWS_REGION ?? 'us-west-2',
  sha256: Sha256,
  credentials: async () => ({
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
    sessionToken: process.env.AWS_SESSION_TOKEN,
  }),
});

/** One signed call to inventory-service via latticed; resolves to { status, body }. */
async function callInventory(method, path, payload) {
  const body = payload === undefined ? undefined : JSON.stringify(payload);
  const unsigned = new HttpRequest({
    method,
    protocol: 'http:',
    hostname: inventoryHost,
    port: Number(latticedPort),
    path,
    // Lattice requires x-amz-content-sha256; UNSIGNED-PAYLOAD is what the AWS docs' examples send.
    headers: {
      host: `${inventoryHost}:${latticedPort}`,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
    },
    body,
  });
  const signed = await signer.sign(unsigned);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: latticedHost, port: Number(latticedPort), method, path, headers: signed.headers }, (res) => {
      readBody(res).then((text) => {
        let parsed = text;
        try {
          parsed = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode, body: parsed });
      }, reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const server = http.createServer(async (req, res) => {
  const body = await readBody(req);
  if (req.url === '/healthz') return sendJson(res, 200, { ok: true });
  try {
    // Reading stock is what order-service-role may do; reserving it is not (inventory's auth policy).
    const inventory = req.method === 'POST'
      ? await callInventory('POST', '/api/stock/reserve', { sku: 'sku-123', quantity: 1 })
      : await callInventory('GET', '/api/stock');
    sendJson(res, inventory.status === 200 ? 200 : 502, { service: 'order-service', inventory, received: received(req, body) });
  } catch (e) {
    sendJson(res, 502, { service: 'order-service', error: String(e) });
  }
});
server.listen(Number(process.env.PORT ?? 9002), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`order-service listening on http://${process.env.HOST ?? '127.0.0.1'}:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
