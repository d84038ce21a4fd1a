/**
 * The real `latticed up` on loopback, driven by real clients: python3 botocore SigV4Auth with role
 * credentials from `latticed credentials`, curl --aws-sigv4 with an IAM user key, @smithy SigV4A and
 * presigned URLs; security groups by source address; path tricks; spoofed identity headers; and the
 * access log, which must hold exactly one record for each of these requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4a } from '@smithy/signature-v4a';
import { ACCOUNT, SOURCES, USER_KEY_ID, USER_SECRET, USER_SECRET_ENV } from './support/config.js';
import { botocore, curlSigv4, expiredRoleCredentials, roleCredentials, send, sendSigned, smithyRequest, smithySigner, type Creds, type Reply } from './support/clients.js';
import { readAccessLog, startScenario, type Scenario } from './support/scenario.js';

let s: Scenario;
let order: Creds;
let reporting: Creds;
let url: (p: string) => string;
let connect: string;
/** Every request sent, by its x-amzn-requestid, with what its access-log record must say. */
const expected = new Map<string, Record<string, unknown>>();
let presignedId = '';

function logged(reply: Reply, fields: Record<string, unknown>): Reply {
  const id = reply.headers['x-amzn-requestid'];
  expect(typeof id).toBe('string');
  expected.set(id as string, { responseCode: reply.status, ...fields });
  return reply;
}

const orderArn = (session: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/${session}`;

beforeAll(async () => {
  s = await startScenario();
  url = (p) => `http://${s.hosts.inventory}:${s.ports.http}${p}`;
  connect = `127.0.0.1:${s.ports.http}`;
  [order, reporting] = await Promise.all([
    roleCredentials(s.configFile, s.stateDir, 'order-service-role', ['--session-name', 'e2e-orders']),
    roleCredentials(s.configFile, s.stateDir, 'reporting-service-role', ['--session-name', 'e2e-reports']),
  ]);
});

afterAll(async () => {
  await s?.stop();
});

describe('python3 botocore SigV4Auth with credentials from `latticed credentials`', () => {
  it('GET /api/stock as order-service-role is forwarded with the session in x-amzn-lattice-identity', async () => {
    const before = s.upstream.seen.length;
    const r = logged(await botocore(order, url('/api/stock'), connect), { authenticationType: 'SIGV4', callerPrincipal: orderArn('e2e-orders'), requestPath: '/api/stock' });
    expect(r.status, r.body).toBe(200);
    const seen = s.upstream.seen.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('/api/stock');
    const identity = String(seen[0]!.headers['x-amzn-lattice-identity']);
    expect(identity).toContain(`Principal=${orderArn('e2e-orders')}`);
    expect(identity).toContain('SessionName=e2e-orders');
    expect(identity).toContain('PrincipalOrgID=o-myorgid');
    expect(String(seen[0]!.headers['x-amzn-lattice-target'])).toContain('ServiceArn=arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-');
  });

  it('POST /api/stock is denied by the service-based policy', async () => {
    const r = logged(await botocore(order, url('/api/stock'), connect, { method: 'POST', data: '{"sku":"sku-123"}' }), { authenticationType: 'SIGV4' });
    expect(r.status, r.body).toBe(403);
    expect(r.body).toContain('AccessDeniedException');
    expect(r.body).toContain(`User: ${orderArn('e2e-orders')} is not authorized to perform: vpc-lattice-svcs:Invoke`);
    expect(r.body).toContain('because no service-based policy allows the vpc-lattice-svcs:Invoke action');
  });

  it('reporting-service-role is denied', async () => {
    const r = logged(await botocore(reporting, url('/api/stock'), connect), { authenticationType: 'SIGV4' });
    expect(r.status, r.body).toBe(403);
    expect(r.body).toContain('assumed-role/reporting-service-role/e2e-reports');
  });

  it('an unsigned request is anonymous and denied', async () => {
    const r = logged(await send(s.ports.http, { method: 'GET', path: '/api/stock', headers: { host: `${s.hosts.inventory}:${s.ports.http}` } }), { authenticationType: 'ANONYMOUS' });
    expect(r.status, r.body).toBe(403);
    expect(r.body).toContain('User: anonymous is not authorized to perform: vpc-lattice-svcs:Invoke');
  });

  it('a tampered signature is rejected even on a path anonymous callers may use', async () => {
    const anon = logged(await send(s.ports.http, { method: 'GET', path: '/public/menu', headers: { host: `${s.hosts.inventory}:${s.ports.http}` } }), { authenticationType: 'ANONYMOUS' });
    expect(anon.status).toBe(200);
    const before = s.upstream.seen.length;
    const r = logged(await botocore(order, url('/public/menu'), connect, { tamper: true }), {});
    expect(r.status, r.body).toBe(403);
    expect(r.body).toContain('InvalidSignatureException');
    expect(s.upstream.seen.length).toBe(before);
  });

  it('expired credentials are rejected', async () => {
    const expired = await expiredRoleCredentials(s.configFile, s.stateDir, 'order-service-role', { [USER_SECRET_ENV]: USER_SECRET });
    const r = logged(await botocore(expired, url('/api/stock'), connect), {});
    expect(r.status, r.body).toBe(403);
    expect(r.body).toMatch(/ExpiredToken/);
  });
});

describe('other clients', () => {
  it('curl --aws-sigv4 with an IAM user access key', async () => {
    const r = logged(await curlSigv4({ accessKeyId: USER_KEY_ID, secretAccessKey: USER_SECRET }, url('/api/stock'), `${s.hosts.inventory}:${s.ports.http}:127.0.0.1`), {
      authenticationType: 'SIGV4',
      callerPrincipal: `arn:aws:iam::${ACCOUNT}:user/ci`,
    });
    expect(r.status, r.body).toBe(200);
    expect(JSON.parse(r.body).headers['x-amzn-lattice-identity']).toContain(`Principal=arn:aws:iam::${ACCOUNT}:user/ci`);
  });

  it('SigV4A (@smithy) is verified', async () => {
    const signer = new SignatureV4a({ service: 'vpc-lattice-svcs', region: '*', sha256: Sha256, credentials: order });
    const signed = await signer.sign(smithyRequest(s.hosts.inventory, s.ports.http, 'GET', '/api/stock'), {});
    const r = logged(await send(s.ports.http, { method: 'GET', path: '/api/stock', headers: signed.headers as Record<string, string> }), { authenticationType: 'SIGV4A' });
    expect(r.status, r.body).toBe(200);
  });

  it('a presigned URL (@smithy) is verified', async () => {
    // Lattice wants x-amz-content-sha256 signed, presigned or not: keep it a header rather than hoisting it into the query.
    const presigned = await smithySigner(order).presign(smithyRequest(s.hosts.inventory, s.ports.http, 'GET', '/api/stock'), {
      expiresIn: 300,
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
    });
    const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const r = logged(await send(s.ports.http, { method: 'GET', path: `/api/stock?${query}`, headers: { host: `${s.hosts.inventory}:${s.ports.http}`, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }), { authenticationType: 'SIGV4_PRESIGNED' });
    expect(r.status, r.body).toBe(200);
    presignedId = r.headers['x-amzn-requestid'] as string;
  });
});

describe('security groups, by source address', () => {
  const attempt = (localAddress: string): Promise<unknown> =>
    send(s.ports.http, { method: 'GET', path: '/public/menu', headers: { host: `${s.hosts.inventory}:${s.ports.http}` }, localAddress }).then(
      (r) => r,
      (e: Error) => e,
    );

  it('a VPC whose security group does not allow the port is refused', async () => {
    const before = s.upstream.seen.length;
    const r = await attempt(SOURCES.wrongPort);
    expect(r).toBeInstanceOf(Error);
    expect(s.upstream.seen.length).toBe(before);
  });

  it('a VPC that is not associated with the service network is refused', async () => {
    const before = s.upstream.seen.length;
    const r = await attempt(SOURCES.unassociated);
    expect(r).toBeInstanceOf(Error);
    expect(s.upstream.seen.length).toBe(before);
  });

  it('the allowed VPC reaches the service from the same path', async () => {
    const r = await attempt(SOURCES.allowed);
    expect((r as Reply).status).toBe(200);
    logged(r as Reply, { authenticationType: 'ANONYMOUS' });
  });
});

describe('path tricks never reach an upstream path the caller was not authorized for', () => {
  // The outcomes docs/compatibility.md ("Path tricks") documents, through the real binary and a real signer.
  const tricks: [string, number, string[]][] = [
    ['/api/stock/../admin', 403, []],
    ['/api/%2e%2e/admin', 403, []],
    ['//api/stock', 200, ['/api/stock']],
    ['/api/stock%2F..%2Fadmin', 400, []],
    ['/API/stock', 403, []],
  ];
  for (const [trick, status, forwarded] of tricks) {
    it(`${trick} -> ${status}${forwarded.length ? ` (forwarded as ${forwarded[0]})` : ''}`, async () => {
      const before = s.upstream.seen.length;
      const r = logged(await sendSigned(order, s.hosts.inventory, s.ports.http, 'GET', trick), {});
      expect(r.status, r.body).toBe(status);
      expect(s.upstream.seen.slice(before).map((x) => x.url)).toEqual(forwarded);
    });
  }
});

describe('identity headers', () => {
  it('a client-sent x-amzn-lattice-identity never reaches the upstream', async () => {
    const before = s.upstream.seen.length;
    const spoof = `Principal=arn:aws:iam::${ACCOUNT}:role/admin-role`;
    const r = logged(
      await sendSigned(order, s.hosts.inventory, s.ports.http, 'GET', '/api/stock', { 'x-amzn-lattice-identity': spoof, 'x-amzn-lattice-network': 'SourceVpcArn=spoofed' }),
      { authenticationType: 'SIGV4' },
    );
    expect(r.status, r.body).toBe(200);
    const seen = s.upstream.seen.slice(before);
    expect(seen).toHaveLength(1);
    expect(String(seen[0]!.headers['x-amzn-lattice-identity'])).not.toContain('admin-role');
    expect(String(seen[0]!.headers['x-amzn-lattice-identity'])).toContain('order-service-role');
    expect(String(seen[0]!.headers['x-amzn-lattice-network'])).not.toContain('spoofed');
  });
});

describe('the access log', () => {
  it('has exactly one record per request above, with the right fields, and logs refused connections', async () => {
    expect(await s.latticed.stop()).toBe(0);
    const records = readAccessLog(s.accessLog);
    for (const [id, fields] of expected) {
      const mine = records.filter((r) => r.requestId === id);
      expect(mine, `records for ${id}`).toHaveLength(1);
      expect(mine[0]).toMatchObject(fields);
      expect(mine[0]!.serviceNetworkArn).toMatch(/^arn:aws:vpc-lattice:us-west-2:123456789012:servicenetwork\/sn-[0-9a-z]{17}$/);
      expect(mine[0]!.sourceVpcId).toBe('vpc-0e2e0000000000001');
    }
    const refused = (ip: string) => records.filter((r) => String(r.sourceIpPort).startsWith(`${ip}:`));
    expect(refused(SOURCES.wrongPort)).toHaveLength(1);
    expect(refused(SOURCES.wrongPort)[0]).toMatchObject({ failureReason: 'SecurityGroupDenied', sourceVpcId: 'vpc-0e2e0000000000002' });
    expect(refused(SOURCES.unassociated)).toHaveLength(1);
    expect(refused(SOURCES.unassociated)[0]).toMatchObject({ failureReason: 'VpcNotAssociated', sourceVpcId: 'vpc-0e2e0000000000003' });
    // Nothing else: the requests above and the two refusals, one record each.
    expect(records).toHaveLength(expected.size + 2);
  });

  it("does not record a presigned URL's signature or session token (a bearer credential until it expires)", () => {
    const presigned = readAccessLog(s.accessLog).find((r) => r.requestId === presignedId)!;
    expect(String(presigned.requestPath)).toMatch(/^\/api\/stock/);
    expect(String(presigned.requestPath)).not.toMatch(/X-Amz-Signature=[0-9a-f]/i);
    expect(String(presigned.requestPath)).not.toMatch(/X-Amz-Security-Token=[^&*-]/i);
  });
});
