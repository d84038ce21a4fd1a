/**
 * One suite, run against every real client (the hono habit: one shared test suite for every
 * implementation). Each client signs each request shape with long-term keys and with a
 * session token; then the server must reject a wrong secret, an unknown key and a foreign token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigningAlgorithm } from '../../../src/sigv4/types.js';
import {
  credentialKinds,
  longTermKey,
  principalArnOf,
  sessionKey,
  SERVICE,
  unknownKey,
  withWrongSecret,
  type ClientCredentials,
} from './keys.js';
import { allRequests, getRoot, postJson, type InteropRequest } from './requests.js';
import type { Reply } from './send.js';
import { startInteropServer, type InteropServer, type ServerOptions } from './sigv4-server.js';

export type SignAndSend = (origin: string, request: InteropRequest, credentials: ClientCredentials) => Promise<Reply>;

export interface ClientUnderTest {
  /** Names the client in test titles, e.g. `botocore SigV4Auth`. */
  name: string;
  signAndSend: SignAndSend;
  algorithm: SigningAlgorithm;
  presigned: boolean;
  requests?: readonly InteropRequest[];
  /** False when the client signs `x-amz-content-sha256` in the query instead of as a header. */
  signsContentSha256Header?: boolean;
  server?: () => ServerOptions | Promise<ServerOptions>;
  /** Releases what the client holds (a worker process). */
  stop?: () => void;
  /** Checks on the verified identity beyond the common ones (e.g. the SigV4A region set). */
  checkIdentity?: (identity: Record<string, unknown>) => void;
}

function expectError(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, code: reply.body.__type }, JSON.stringify(reply.body)).toEqual({ status, code });
}

export function interopSuite(client: ClientUnderTest): void {
  describe(client.name, () => {
    let server: InteropServer;
    beforeAll(async () => {
      server = await startInteropServer(await client.server?.());
    });
    afterAll(async () => {
      client.stop?.();
      await server?.close();
    });
    const call = (request: InteropRequest, credentials: ClientCredentials): Promise<Reply> =>
      client.signAndSend(server.origin, request, credentials);

    for (const { kind, credentials } of credentialKinds) {
      for (const request of client.requests ?? allRequests) {
        it(`verifies ${request.name}, with ${kind}`, async () => {
          const reply = await call(request, credentials);
          expect(reply.status, JSON.stringify(reply.body)).toBe(200);
          const identity = reply.body;
          expect(identity).toMatchObject({
            accessKeyId: credentials.accessKeyId,
            algorithm: client.algorithm,
            presigned: client.presigned,
            principalArn: principalArnOf(credentials.accessKeyId),
            scope: { service: SERVICE },
          });
          expect(identity.sessionToken).toBe(credentials.sessionToken);
          const signed = client.signsContentSha256Header === false ? ['host'] : ['host', 'x-amz-content-sha256'];
          expect(identity.signedHeaders).toEqual(expect.arrayContaining(signed));
          client.checkIdentity?.(identity);
        });
      }
      it(`rejects a wrong secret, with ${kind}`, async () => {
        expectError(await call(getRoot, withWrongSecret(credentials)), 403, 'InvalidSignatureException');
      });
    }
    it('rejects an unknown access key', async () => {
      expectError(await call(postJson, unknownKey), 403, 'UnrecognizedClientException');
    });
    it("rejects a session key sent with another session's token", async () => {
      const foreign = { ...sessionKey, sessionToken: `${sessionKey.sessionToken}x` };
      expectError(await call(getRoot, foreign), 403, 'UnrecognizedClientException');
    });
    it('rejects a session key sent without its token', async () => {
      const { sessionToken: _omitted, ...withoutToken } = sessionKey;
      expectError(await call(getRoot, withoutToken), 403, 'UnrecognizedClientException');
    });
    it('rejects a long-term key sent with a token', async () => {
      expectError(await call(getRoot, { ...longTermKey, sessionToken: 'not-a-token' }), 403, 'UnrecognizedClientException');
    });
  });
}
