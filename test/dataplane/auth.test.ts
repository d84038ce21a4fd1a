/**
 * AWS_IAM pipelines: real SigV4/SigV4A/presigned signatures from @smithy, verified by src/sigv4,
 * authorized by src/policy, identity headers forwarded in Lattice's formats.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SignatureV4a } from '@smithy/signature-v4a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import type { CallerIdentity, LatticeCredential } from '../../src/iam/types.js';
import { compilePolicy } from '../../src/policy/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { ACCOUNT, buildSnapshot, PORT, REGION, request, startEcho, until, type Echo } from './fixture.js';

const ORDER_KEY = { accessKeyId: 'AKIAORDERSERVICE0001', secretAccessKey: 'order-secret-key-000000000000000000000' };
const REPORT_KEY = { accessKeyId: 'AKIAREPORTING0000001', secretAccessKey: 'report-secret-key-00000000000000000000' };
const allowAll = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

function identity(role: string, session: string, extra: Partial<CallerIdentity> = {}): CallerIdentity {
  return {
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    type: 'AssumedRole',
    account: ACCOUNT,
    orgId: 'o-myorgid',
    orgPaths: ['o-myorgid/r-ab12/ou-ab12-11111111/'],
    tags: { team: 'orders;east' },
    userId: `AROAEXAMPLE${role.length}:${session}`,
    sessionName: session,
    sourceIdentity: 'alice',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    identityPolicies: [allowAll],
    ...extra,
  };
}

const IDENTITIES: Record<string, LatticeCredential> = {
  [ORDER_KEY.accessKeyId]: { secretAccessKey: ORDER_KEY.secretAccessKey, identity: identity('order-service-role', 'orders-1') },
  [REPORT_KEY.accessKeyId]: { secretAccessKey: REPORT_KEY.secretAccessKey, identity: identity('reporting-service-role', 'rep-1') },
};

const servicePolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'OrdersReadStock',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/order-service-role` },
      Action: 'vpc-lattice-svcs:Invoke',
      Resource: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/*/api/stock*`,
      Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET', 'aws:PrincipalOrgID': 'o-myorgid' } },
    },
    { Sid: 'AnyonePublic', Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/*/public*` },
  ],
};
const networkPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-myorgid' } } },
    { Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: `arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/*/public*` },
  ],
};

function signer(key: { accessKeyId: string; secretAccessKey: string }): SignatureV4 {
  return new SignatureV4({ service: 'vpc-lattice-svcs', region: REGION, credentials: key, sha256: Sha256 });
}

async function signed(key: { accessKeyId: string; secretAccessKey: string }, host: string, method: string, path: string, body?: string): Promise<Record<string, string>> {
  const [p, q] = path.split('?');
  const query: Record<string, string> = {};
  for (const kv of (q ?? '').split('&').filter(Boolean)) {
    const [k, v] = kv.split('=');
    query[k!] = v ?? '';
  }
  const req = new HttpRequest({
    method,
    protocol: 'http:',
    hostname: host,
    path: p!,
    query,
    headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
    ...(body ? { body } : {}),
  });
  const out = await signer(key).sign(req);
  return out.headers as Record<string, string>;
}

describe('AWS_IAM: authentication, authorization and identity headers', () => {
  let echo: Echo;
  let dp: DataPlane;
  let port: number;
  let host: string;
  const log = createMemoryAccessLog();

  beforeAll(async () => {
    echo = await startEcho();
    const snapshot = buildSnapshot({
      networkAuthType: 'AWS_IAM',
      networkPolicy,
      services: [{ name: 'inventory', authType: 'AWS_IAM', policy: servicePolicy, forward: [['echo', 1]] }],
      targetGroups: [{ id: 'echo', port: echo.port }],
    });
    host = [...snapshot.services.values()][0]!.dnsName;
    dp = await startDataPlane({ snapshot, credentials: (akid) => IDENTITIES[akid], accessLog: log, ephemeralPorts: true });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 500 });
    await echo.close();
  });

  const recordOf = async (requestId: string) => {
    await until(() => log.records.some((r) => r.requestId === requestId));
    return log.records.filter((r) => r.requestId === requestId);
  };

  it('forwards an allowed signed call with Lattice identity headers, not the signature', async () => {
    const headers = await signed(ORDER_KEY, host, 'GET', '/api/stock?sku=1');
    const r = await request(port, { host, path: '/api/stock?sku=1', headers: { ...headers, 'x-amzn-lattice-identity': 'Principal=spoofed' } });
    expect(r.status).toBe(200);
    const h = JSON.parse(r.body).headers;
    expect(h['x-amzn-lattice-identity']).toBe(
      `Principal=arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1; PrincipalOrgID=o-myorgid; PrincipalOrgPath=o-myorgid/r-ab12/ou-ab12-11111111/; SessionName=orders-1; Type=AWSIAM`,
    );
    expect(h['x-amzn-lattice-identity-tags']).toBe(`principal=arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1;principalorgid=o-myorgid;team=orders\\;east`);
    expect(h.authorization).toBeUndefined();
    const [rec] = await recordOf(r.headers['x-amzn-requestid'] as string);
    expect(rec).toMatchObject({
      authenticationType: 'SIGV4',
      callerPrincipal: `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1`,
      callerPrincipalOrgID: 'o-myorgid',
      sourceIdentity: 'alice',
      policyDecision: 'Service:0/OrdersReadStock',
      authDeniedReason: '-',
      responseCode: 200,
    });
  });

  it('verifies a signed header that arrives on two lines (signed as the values joined with commas)', async () => {
    const req = new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: host,
      path: '/api/stock',
      headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-tag': 'blue,green' },
    });
    const headers = { ...((await signer(ORDER_KEY).sign(req)).headers as Record<string, string>) };
    const ok = await request(port, { host, path: '/api/stock', headers: { ...headers, 'x-tag': ['blue', 'green'] } });
    expect(ok.status, ok.body).toBe(200);
    const swapped = await request(port, { host, path: '/api/stock', headers: { ...headers, 'x-tag': ['green', 'blue'] } });
    expect(swapped.status).toBe(403);
    expect(JSON.parse(swapped.body).__type).toBe('InvalidSignatureException');
  });

  it('denies a method the service policy does not allow with the service-based message', async () => {
    const headers = await signed(ORDER_KEY, host, 'POST', '/api/stock', 'x');
    const r = await request(port, { host, method: 'POST', path: '/api/stock', headers, body: 'x' });
    expect(r.status).toBe(403);
    expect(r.body.startsWith(
      `AccessDeniedException: User: arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1 is not authorized to perform: vpc-lattice-svcs:Invoke on resource: arn:aws:vpc-lattice:${REGION}:${ACCOUNT}:service/svc-`,
    )).toBe(true);
    expect(r.body).toContain('/api/stock because');
    expect(r.body).toMatch(/because no service-based policy allows the vpc-lattice-svcs:Invoke action$/);
    const [rec] = await recordOf(r.headers['x-amzn-requestid'] as string);
    expect(rec).toMatchObject({ authDeniedReason: 'Service', failureReason: 'ClientAccessDenied', responseCode: 403, targetIpPort: '-' });
  });

  it('treats unsigned requests as anonymous: denied by the network policy, allowed where the policies admit anyone', async () => {
    const denied = await request(port, { host, path: '/api/stock' });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatch(/^AccessDeniedException: User: anonymous is not authorized .* because no network-based policy allows/);
    const open = await request(port, { host, path: '/public/x' });
    expect(open.status).toBe(200);
    expect(JSON.parse(open.body).headers['x-amzn-lattice-identity']).toBe('Type=Anonymous');
    const [rec] = await recordOf(open.headers['x-amzn-requestid'] as string);
    expect(rec).toMatchObject({ authenticationType: 'ANONYMOUS', resolvedUser: 'anonymous' });
  });

  it('rejects a tampered signature even on a path anonymous callers may use', async () => {
    const headers = await signed(ORDER_KEY, host, 'GET', '/public/x');
    headers.authorization = headers.authorization!.replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`);
    const r = await request(port, { host, path: '/public/x', headers });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).__type).toBe('InvalidSignatureException');
    expect(r.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    const [rec] = await recordOf(r.headers['x-amzn-requestid'] as string);
    expect(rec).toMatchObject({ failureReason: 'AuthenticationFailed', targetIpPort: '-' });
  });

  it('a repeated signed request (served by the verified-signature cache) is refused once its key is gone', async () => {
    const headers = await signed(REPORT_KEY, host, 'GET', '/public/replayed');
    const send = () => request(port, { host, path: '/public/replayed', headers });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const saved = IDENTITIES[REPORT_KEY.accessKeyId]!;
    delete IDENTITIES[REPORT_KEY.accessKeyId];
    try {
      const r = await send();
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body).__type).toBe('UnrecognizedClientException');
    } finally {
      IDENTITIES[REPORT_KEY.accessKeyId] = saved;
    }
    expect((await send()).status).toBe(200);
  });

  it('rejects an unknown access key and a non-AWS Authorization header', async () => {
    const headers = await signed({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x'.repeat(40) }, host, 'GET', '/public/x');
    expect((await request(port, { host, path: '/public/x', headers })).status).toBe(403);
    const bearer = await request(port, { host, path: '/public/x', headers: { authorization: 'Bearer abc' } });
    expect(bearer.status).toBeGreaterThanOrEqual(400);
    expect(bearer.status).toBeLessThan(500);
  });

  it('the authorized path is the forwarded path: dot segments cannot reach an unauthorized one', async () => {
    // Signed for the raw path; authorized and forwarded as /api/admin, which the policy does not allow.
    const headers = await signed(ORDER_KEY, host, 'GET', '/api/stock/../admin');
    const r = await request(port, { host, path: '/api/stock/../admin', headers });
    expect(r.status).toBe(403);
    const seen = echo.requests.length;
    const encoded = await request(port, { host, path: '/api/stock%2F..%2Fadmin', headers: await signed(ORDER_KEY, host, 'GET', '/api/stock%2F..%2Fadmin') });
    expect(encoded.status).toBe(400);
    const upper = await request(port, { host, path: '/API/stock', headers: await signed(ORDER_KEY, host, 'GET', '/API/stock') });
    expect(upper.status).toBe(403);
    const dots = await request(port, { host, path: '/api/%2e%2e/admin', headers: await signed(ORDER_KEY, host, 'GET', '/api/%2e%2e/admin') });
    expect(dots.status).toBe(403);
    expect(dots.body).toContain('/admin because');
    expect(echo.requests.length).toBe(seen);
    const slashes = await request(port, { host, path: '//api/stock', headers: await signed(ORDER_KEY, host, 'GET', '//api/stock') });
    expect(slashes.status, slashes.body).toBe(200);
    expect(echo.requests.at(-1)!.url).toBe('/api/stock');
  });

  it('denies another role with the service-based message', async () => {
    const headers = await signed(REPORT_KEY, host, 'GET', '/api/stock');
    const r = await request(port, { host, path: '/api/stock', headers });
    expect(r.status).toBe(403);
    expect(r.body).toContain('assumed-role/reporting-service-role/rep-1 is not authorized');
  });

  it('verifies SigV4A and presigned URLs, and logs which was used', async () => {
    const a = new SignatureV4a({ service: 'vpc-lattice-svcs', region: '*', sha256: Sha256, credentials: ORDER_KEY });
    const req = new HttpRequest({ method: 'GET', protocol: 'http:', hostname: host, path: '/api/stock', headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    const sa = await a.sign(req, {});
    const r1 = await request(port, { host, path: '/api/stock', headers: sa.headers as Record<string, string> });
    expect(r1.status, r1.body).toBe(200);
    expect((await recordOf(r1.headers['x-amzn-requestid'] as string))[0]!.authenticationType).toBe('SIGV4A');

    const pre = await signer(ORDER_KEY).presign(req, { expiresIn: 300, unhoistableHeaders: new Set(['x-amz-content-sha256']) });
    const query = new URLSearchParams(pre.query as Record<string, string>).toString();
    const r2 = await request(port, { host, path: `/api/stock?${query}`, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(r2.status, r2.body).toBe(200);
    const rec2 = (await recordOf(r2.headers['x-amzn-requestid'] as string))[0]!;
    expect(rec2.authenticationType).toBe('SIGV4_PRESIGNED');
    // A presigned URL is a bearer credential: neither the log nor the target gets its parameters.
    expect(rec2.requestPath).toBe('/api/stock');
    expect(JSON.parse(r2.body).url).toBe('/api/stock');
    const unknownHost = await request(port, { host: 'nowhere.example', path: `/x?a=1&${query}` });
    expect(unknownHost.status).toBe(404);
    expect((await recordOf(unknownHost.headers['x-amzn-requestid'] as string))[0]!.requestPath).toBe('/x?a=1');
  });

  it('rejects a signature outside the clock-skew window (injected clock)', async () => {
    const skewed = await startDataPlane({
      snapshot: buildSnapshot({
        networkAuthType: 'AWS_IAM',
        networkPolicy,
        services: [{ name: 'inventory', authType: 'AWS_IAM', policy: servicePolicy, forward: [['echo', 1]] }],
        targetGroups: [{ id: 'echo', port: echo.port }],
      }),
      credentials: (akid) => IDENTITIES[akid],
      accessLog: createMemoryAccessLog(),
      ephemeralPorts: true,
      now: () => Date.now() + 3_600_000,
    });
    const headers = await signed(ORDER_KEY, host, 'GET', '/api/stock');
    const r = await request(skewed.ports().get(PORT)!, { host, path: '/api/stock', headers });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.headers['x-amzn-errortype']).toMatch(/Exception$/);
    await skewed.close({ graceMs: 100 });
  });
});
