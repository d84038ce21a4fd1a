/**
 * A header sent twice. SigV4 signs the values joined with commas; node's `req.headers` would join
 * them with `, ` and break that, which is why the server passes `req.headersDistinct`.
 */
import type { HttpRequest } from '@smithy/protocol-http';
import aws4 from 'aws4';
import type { OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REGION, SERVICE, sessionKey } from './support/keys.js';
import { getRoot, UNSIGNED_PAYLOAD } from './support/requests.js';
import { send } from './support/send.js';
import { startInteropServer, type InteropServer } from './support/sigv4-server.js';
import { sendSigned, sigV4Signer, toHttpRequest } from './support/smithy-clients.js';

let server: InteropServer;
beforeAll(async () => {
  server = await startInteropServer();
});
afterAll(() => server.close());

it('verifies a repeated header from aws4 (signed as a,b; sent as two header lines)', async () => {
  const { hostname, port } = new URL(server.origin);
  const signed = aws4.sign(
    {
      host: hostname,
      port: Number(port),
      path: '/',
      service: SERVICE,
      region: REGION,
      headers: { ...UNSIGNED_PAYLOAD, 'x-tag': ['blue', 'green'] } as unknown as Record<string, string>,
    },
    sessionKey,
  );
  const reply = await send(server.origin, '/', { method: 'GET', headers: signed.headers as OutgoingHttpHeaders });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  expect(reply.body.signedHeaders).toContain('x-tag');
});

it('verifies a repeated header from @smithy/signature-v4 (signed joined, sent as two header lines)', async () => {
  const unsigned = toHttpRequest(server.origin, { ...getRoot, headers: { 'x-tag': 'blue,green' } });
  const signed = (await sigV4Signer(sessionKey).sign(unsigned)) as HttpRequest;
  const headers: OutgoingHttpHeaders = { ...signed.headers, 'x-tag': ['blue', 'green'] };
  const reply = await send(server.origin, '/', { method: 'GET', headers });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
});

it('refuses the same request when the repeated values arrive in another order', async () => {
  const unsigned = toHttpRequest(server.origin, { ...getRoot, headers: { 'x-tag': 'blue,green' } });
  const signed = (await sigV4Signer(sessionKey).sign(unsigned)) as HttpRequest;
  const headers: OutgoingHttpHeaders = { ...signed.headers, 'x-tag': ['green', 'blue'] };
  const reply = await send(server.origin, '/', { method: 'GET', headers });
  expect({ status: reply.status, code: reply.body.__type }).toEqual({ status: 403, code: 'InvalidSignatureException' });
});
