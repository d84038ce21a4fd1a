/**
 * HTTP/2 and gRPC end to end: a @grpc/grpc-js client signs each call with SigV4 (as metadata) and
 * talks h2c to latticed, which authorizes `/package.Service/Method` against the service policy and
 * forwards h2c to a GRPC target group running a @grpc/grpc-js server. Trailers (grpc-status) survive.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { roleCredentials, smithyRequest, smithySigner, type Creds } from './support/clients.js';
import { projectRoot } from './support/build.js';
import { freePort } from './support/ports.js';
import { readAccessLog, startScenario, type Scenario } from './support/scenario.js';

type Unary = (req: object, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, reply?: Record<string, unknown>) => void) => void;

const def = protoLoader.loadSync(path.join(projectRoot, 'test/e2e/support/inventory.proto'), { keepCase: true });
const proto = grpc.loadPackageDefinition(def) as unknown as { inventory: { Inventory: grpc.ServiceClientConstructor } };

let s: Scenario;
let server: grpc.Server;
let order: Creds;
let reporting: Creds;

beforeAll(async () => {
  const port = await freePort();
  server = new grpc.Server();
  const reply = (call: grpc.ServerUnaryCall<{ sku: string }, unknown>, cb: grpc.sendUnaryData<unknown>): void =>
    cb(null, { sku: call.request.sku, quantity: 42, caller: String(call.metadata.get('x-amzn-lattice-identity')[0] ?? '') });
  server.addService(proto.inventory.Inventory.service, { GetStock: reply, Reserve: reply });
  await new Promise<void>((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  s = await startScenario({ grpcUpstream: port });
  [order, reporting] = await Promise.all([
    roleCredentials(s.configFile, s.stateDir, 'order-service-role', ['--session-name', 'grpc-orders']),
    roleCredentials(s.configFile, s.stateDir, 'reporting-service-role'),
  ]);
});

afterAll(async () => {
  await s?.stop();
  server?.forceShutdown();
});

async function call(creds: Creds, method: 'GetStock' | 'Reserve'): Promise<{ err: grpc.ServiceError | null; reply?: Record<string, unknown> }> {
  const authority = `${s.hosts.grpc}:${s.ports.grpc}`;
  const client = new proto.inventory.Inventory(`127.0.0.1:${s.ports.grpc}`, grpc.credentials.createInsecure(), { 'grpc.default_authority': authority });
  try {
    const signed = await smithySigner(creds).sign(smithyRequest(s.hosts.grpc, s.ports.grpc, 'POST', `/inventory.Inventory/${method}`));
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(signed.headers as Record<string, string>)) if (k !== 'host') md.set(k, v);
    const fn = (client as unknown as Record<string, Unary>)[method]!.bind(client);
    return await new Promise((resolve) => fn({ sku: 'sku-123' }, md, (err, reply) => resolve({ err, reply })));
  } finally {
    client.close();
  }
}

it('a signed call to a method the policy names is forwarded over h2c with the caller identity', async () => {
  const { err, reply } = await call(order, 'GetStock');
  expect(err).toBeNull();
  expect(reply).toMatchObject({ sku: 'sku-123', quantity: 42 });
  expect(String(reply!.caller)).toContain('assumed-role/order-service-role/grpc-orders');
});

it('a method the policy does not name is denied', async () => {
  const { err } = await call(order, 'Reserve');
  expect(err?.code).toBe(grpc.status.PERMISSION_DENIED);
});

it('another role is denied', async () => {
  const { err } = await call(reporting, 'GetStock');
  expect(err?.code).toBe(grpc.status.PERMISSION_DENIED);
});

it('the access log has one record per call with the gRPC path and protocol', async () => {
  expect(await s.latticed.stop()).toBe(0);
  const records = readAccessLog(s.accessLog).filter((r) => String(r.requestPath).startsWith('/inventory.Inventory/'));
  expect(records.map((r) => [r.requestPath, r.responseCode])).toEqual([
    ['/inventory.Inventory/GetStock', 200],
    ['/inventory.Inventory/Reserve', 403],
    ['/inventory.Inventory/GetStock', 403],
  ]);
  expect(records[0]!.protocol).toBe('HTTP/2.0');
});
