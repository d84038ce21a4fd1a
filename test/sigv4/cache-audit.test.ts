/**
 * Security review of the verifier and its verified-request cache: a request may be accepted only
 * when a full verification of exactly that request would accept it, and the host the signature
 * covers must be the host the request is served for.
 */
import http2 from 'node:http2';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigV4Error, createVerifier } from '../../src/sigv4/index.js';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import type { LatticeCredential } from '../../src/iam/types.js';
import { compilePolicy } from '../../src/policy/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { ACCOUNT, buildSnapshot, PORT, REGION as DP_REGION, request, startEcho, type Echo } from '../dataplane/fixture.js';
import { options } from './support/options.js';
import { signV4, withHeaders } from './support/sign.js';

const HOST = 'svc-0123456789abcdef0.7d67968.vpc-lattice-svcs.us-west-2.on.aws';
const OTHER = 'payments-0123456789abcdef1.7d67968.vpc-lattice-svcs.us-west-2.on.aws';

function outcome(f: () => unknown): string {
  try {
    const out = f();
    if (out instanceof Promise) throw new Error('expected a synchronous answer');
  } catch (e) {
    if (e instanceof SigV4Error) return e.code;
    throw e;
  }
  return 'accepted';
}

describe('host and HTTP/2 :authority', () => {
  it('refuses a request whose :authority names another host than the signed host header', async () => {
    const v = createVerifier({ ...options(), verifiedCacheSize: 0 });
    const r = await signV4({ path: '/api/stock' });
    // The data plane routes HTTP/2 by :authority; the signature covers `host`.
    const replay = withHeaders(r, { ':authority': OTHER, host: HOST });
    expect(outcome(() => v.verifyDirect(replay))).toBe('InvalidRequestException');
  });

  it('does not lend a cached verification to the same request sent to another :authority', async () => {
    const v = createVerifier(options());
    const r = await signV4({ path: '/api/stock' });
    // What an HTTP/2 client that sends both (equal) headers puts on the wire: verified and remembered.
    const h2 = withHeaders(r, { ':authority': HOST, host: HOST });
    expect(outcome(() => v.verifyDirect(h2))).toBe('accepted');
    expect(outcome(() => v.verifyDirect(withHeaders(h2, { ':authority': OTHER })))).toBe('InvalidRequestException');
  });

  it('still accepts :authority alone, host alone, and both when they agree', async () => {
    const v = createVerifier(options());
    const r = await signV4({ path: '/api/stock' });
    expect(outcome(() => v.verifyDirect(withHeaders(r, { host: undefined, ':authority': HOST })))).toBe('accepted');
    expect(outcome(() => v.verifyDirect(withHeaders(r, { host: HOST })))).toBe('accepted');
    expect(outcome(() => v.verifyDirect(withHeaders(r, { host: [HOST], ':authority': HOST })))).toBe('accepted');
    expect(outcome(() => v.verifyDirect(withHeaders(r, { host: [HOST, HOST], ':authority': HOST })))).toBe('InvalidRequestException');
  });
});

describe('verified-request cache: probes that must stay refused', () => {
  it('a cached signature is never lent across header shapes that canonicalise differently', async () => {
    const v = createVerifier(options());
    const r = await signV4({ headers: { 'x-multi': 'a,b' } });
    const arr = withHeaders(r, { 'x-multi': ['a', 'b'] });
    expect(outcome(() => v.verifyDirect(arr))).toBe('accepted');
    // HTTP/2 (req.headers) joins repeated headers with ", ": canonically different, so refused.
    expect(outcome(() => v.verifyDirect(withHeaders(arr, { 'x-multi': 'a, b' })))).toBe('InvalidSignatureException');
    expect(outcome(() => v.verifyDirect(withHeaders(arr, { 'x-multi': ['a,b'] })))).toBe('accepted'); // same canonical value
    expect(outcome(() => v.verifyDirect(withHeaders(arr, { 'x-multi': ['a', 'b', ''] })))).toBe('InvalidSignatureException');
    expect(outcome(() => v.verifyDirect(withHeaders(arr, { 'x-multi': undefined })))).toBe('IncompleteSignatureException');
  });

  it('a second Authorization header, or a presigned query added to a cached request, is refused', async () => {
    const v = createVerifier(options());
    const r = await signV4({ path: '/x' });
    expect(outcome(() => v.verifyDirect(r))).toBe('accepted');
    const authz = r.headers.authorization as readonly string[];
    expect(outcome(() => v.verifyDirect(withHeaders(r, { authorization: [authz[0]!, authz[0]!] })))).toBe('IncompleteSignatureException');
    expect(outcome(() => v.verifyDirect({ ...r, url: '/x?X-Amz-Algorithm=AWS4-HMAC-SHA256' }))).toBe('InvalidRequestException');
  });

  it('x-amz-date or x-amz-content-sha256 repeated, or the token swapped, on a cached request is refused', async () => {
    const v = createVerifier(options());
    const r = await signV4({ path: '/x' });
    expect(outcome(() => v.verifyDirect(r))).toBe('accepted');
    const date = (r.headers['x-amz-date'] as readonly string[])[0]!;
    expect(outcome(() => v.verifyDirect(withHeaders(r, { 'x-amz-date': [date, date] })))).toBe('IncompleteSignatureException');
    expect(outcome(() => v.verifyDirect(withHeaders(r, { 'x-amz-content-sha256': ['UNSIGNED-PAYLOAD', 'UNSIGNED-PAYLOAD'] })))).toBe('IncompleteSignatureException');
    // A long-term key with a token the resolver does not accept.
    expect(outcome(() => v.verifyDirect(withHeaders(r, { 'x-amz-security-token': 'forged' })))).toBe('UnrecognizedClientException');
  });

  it('a body hash given on one request is not lent to one without it (or with another)', async () => {
    const v = createVerifier(options());
    const digest = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const r = await signV4({ headers: { 'x-amz-content-sha256': digest } });
    expect(outcome(() => v.verifyDirect({ ...r, bodySha256: digest }))).toBe('accepted');
    expect(outcome(() => v.verifyDirect({ ...r, bodySha256: 'f'.repeat(64) }))).toBe('InvalidSignatureException');
    expect(outcome(() => v.verifyDirect(r))).toBe('accepted'); // no hash given: not checked, as without the cache
  });
});

// End to end: a service that receives a caller's signed request (here one with authType NONE, whose
// target gets the Authorization header) replays it over HTTP/2 to another service, as the caller.
const CALLER = { accessKeyId: 'AKIAORDERSERVICE0001', secretAccessKey: 'order-secret-key-000000000000000000000' };
const allowAll = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const CREDS: Record<string, LatticeCredential> = {
  [CALLER.accessKeyId]: {
    secretAccessKey: CALLER.secretAccessKey,
    identity: {
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1`,
      type: 'AssumedRole',
      account: ACCOUNT,
      tags: {},
      userId: 'AROAEXAMPLE:orders-1',
      sessionName: 'orders-1',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/order-service-role`,
      identityPolicies: [allowAll],
    },
  },
};

function h2(port: number, headers: http2.OutgoingHttpHeaders): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request(headers, { endStream: true });
    let status = 0;
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.on('data', () => undefined);
    stream.on('end', () => {
      session.close();
      resolve(status);
    });
    stream.on('error', reject);
  });
}

describe('data plane: a signature for one service is not accepted by another over HTTP/2', () => {
  let echo: Echo;
  let dp: DataPlane;
  let port: number;
  let publicHost: string;
  let paymentsHost: string;

  beforeAll(async () => {
    echo = await startEcho();
    const snapshot = buildSnapshot({
      networkAuthType: 'NONE',
      services: [
        { name: 'public', authType: 'NONE', forward: [['echo', 1]] },
        {
          name: 'payments',
          authType: 'AWS_IAM',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/order-service-role` }, Action: '*', Resource: '*' }] },
          forward: [['echo', 1]],
        },
      ],
      targetGroups: [{ id: 'echo', port: echo.port }],
    });
    const hosts = [...snapshot.services.values()].map((s) => s.dnsName);
    publicHost = hosts.find((h) => h.startsWith('public-'))!;
    paymentsHost = hosts.find((h) => h.startsWith('payments-'))!;
    dp = await startDataPlane({ snapshot, credentials: (akid) => CREDS[akid], accessLog: createMemoryAccessLog(), ephemeralPorts: true });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 500 });
    await echo.close();
  });

  it('refuses a signed request replayed with :authority of another service and the signed host', async () => {
    const signer = new SignatureV4({ service: 'vpc-lattice-svcs', region: DP_REGION, credentials: CALLER, sha256: Sha256 });
    const signed = await signer.sign(
      new HttpRequest({ method: 'GET', protocol: 'http:', hostname: publicHost, path: '/transfer', headers: { host: publicHost, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }),
    );
    // The caller's own call to the public service: its target receives every signed header.
    const own = await request(port, { host: publicHost, path: '/transfer', headers: signed.headers });
    expect(own.status).toBe(200);
    const captured = echo.requests.at(-1)!.headers;
    expect(captured.authorization).toBeDefined();
    // Sanity: the same signature sent to payments over HTTP/1.1 (host payments) fails.
    const h1 = await request(port, { host: paymentsHost, path: '/transfer', headers: { ...signed.headers, host: paymentsHost } });
    expect(h1.status).toBe(403);
    // The replay: :authority routes to payments, host still says public.
    const status = await h2(port, {
      ':method': 'GET',
      ':path': '/transfer',
      ':authority': paymentsHost,
      host: publicHost,
      authorization: captured.authorization!,
      'x-amz-date': captured['x-amz-date'] as string,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    });
    expect(status).toBe(400);
  });
});
