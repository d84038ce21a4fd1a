/**
 * The access-log record as an audit trail: what it claims about authentication, whether a request
 * it says never reached a target really did not, and byte counts that are measurements, not claims.
 */
import http2 from 'node:http2';
import net from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import type { CallerIdentity, LatticeCredential } from '../../src/iam/types.js';
import { compilePolicy } from '../../src/policy/index.js';
import { createMemoryAccessLog, type AccessLogRecord, type AccessLogSink } from '../../src/observability/index.js';
import { ACCOUNT, buildSnapshot, PORT, REGION, request, startEcho, until, type Echo } from './fixture.js';

const KEY = { accessKeyId: 'AKIAORDERSERVICE0001', secretAccessKey: 'order-secret-key-000000000000000000000' };
const allowAll = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const IDENTITY: CallerIdentity = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1`,
  type: 'AssumedRole',
  account: ACCOUNT,
  orgId: 'o-myorgid',
  tags: {},
  userId: 'AROAEXAMPLE:orders-1',
  sessionName: 'orders-1',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/order-service-role`,
  identityPolicies: [allowAll],
};
const CREDENTIAL: LatticeCredential = { secretAccessKey: KEY.secretAccessKey, identity: IDENTITY };
const openPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] };

async function signed(host: string, method: string, path: string): Promise<Record<string, string>> {
  const req = new HttpRequest({ method, protocol: 'http:', hostname: host, path, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  const signer = new SignatureV4({ service: 'vpc-lattice-svcs', region: REGION, credentials: KEY, sha256: Sha256 });
  return (await signer.sign(req)).headers as Record<string, string>;
}

/** Like the file sink, serialises each record when it is written: later changes to it are not logged. */
function lineLog(): AccessLogSink & { lines: AccessLogRecord[] } {
  const lines: AccessLogRecord[] = [];
  return {
    lines,
    write: (r) => void lines.push(JSON.parse(JSON.stringify(r)) as AccessLogRecord),
    flush: async () => undefined,
    close: async () => undefined,
  };
}

describe('access-log records: authentication claims and what reached a target', () => {
  let echo: Echo;
  let dp: DataPlane;
  let port: number;
  let host: string;
  const log = lineLog();
  /** Credential lookups take this long (an embedder's asynchronous resolver); 0: synchronous. */
  let lookupMs = 0;

  beforeAll(async () => {
    echo = await startEcho();
    const snapshot = buildSnapshot({
      networkAuthType: 'AWS_IAM',
      networkPolicy: openPolicy,
      services: [
        { name: 'inventory', authType: 'AWS_IAM', policy: openPolicy, forward: [['echo', 1]] },
        { name: 'plain', forward: [['echo', 1]] },
      ],
      targetGroups: [{ id: 'echo', port: echo.port }],
    });
    host = [...snapshot.services.values()][0]!.dnsName;
    dp = await startDataPlane({
      snapshot,
      accessLog: log,
      ephemeralPorts: true,
      credentials: (akid) => {
        if (akid !== KEY.accessKeyId) return undefined;
        return lookupMs === 0 ? CREDENTIAL : new Promise((resolve) => setTimeout(() => resolve(CREDENTIAL), lookupMs));
      },
    });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 200 });
    await echo.close();
  });

  const recordsOf = async (requestId: string) => {
    await until(() => log.lines.some((r) => r.requestId === requestId));
    return log.lines.filter((r) => r.requestId === requestId);
  };

  it('a request answered before authentication claims no authentication type, signed or not', async () => {
    const headers = await signed(host, 'GET', '/api/a%2Fb');
    const signedBad = await request(port, { host, path: '/api/a%2Fb', headers });
    expect(signedBad.status).toBe(400);
    const [r1] = await recordsOf(signedBad.headers['x-amzn-requestid'] as string);
    // Not ANONYMOUS: that would file a signed caller (whose signature was never checked) with the anonymous ones.
    expect(r1).toMatchObject({ failureReason: 'InvalidPath', authenticationType: '-', callerPrincipal: '-', resolvedUser: '-' });

    const unsignedBad = await request(port, { host, path: '/api/a%2Fb' });
    const [r2] = await recordsOf(unsignedBad.headers['x-amzn-requestid'] as string);
    expect(r2).toMatchObject({ failureReason: 'InvalidPath', authenticationType: '-', resolvedUser: '-' });

    // Unchanged: anonymous callers that were authenticated as such, and services without AWS_IAM.
    const anonymous = await request(port, { host, path: '/api/ok' });
    expect(anonymous.status).toBe(200);
    const [r3] = await recordsOf(anonymous.headers['x-amzn-requestid'] as string);
    expect(r3).toMatchObject({ authenticationType: 'ANONYMOUS', resolvedUser: 'anonymous' });
    const ok = await request(port, { host, path: '/api/ok', headers: await signed(host, 'GET', '/api/ok') });
    expect(ok.status).toBe(200);
    const [r4] = await recordsOf(ok.headers['x-amzn-requestid'] as string);
    expect(r4).toMatchObject({ authenticationType: 'SIGV4', resolvedUser: IDENTITY.arn, callerPrincipal: IDENTITY.arn });
  });

  it('a client that leaves during an asynchronous credential lookup: nothing reaches the target, one honest record', async () => {
    lookupMs = 300;
    try {
      const headers = await signed(host, 'GET', '/api/left-early');
      const before = echo.requests.length;
      const records = log.lines.length;
      const sock = net.connect(port, '127.0.0.1');
      sock.on('error', () => undefined);
      await new Promise((r) => sock.on('connect', r));
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n');
      sock.write(`GET /api/left-early HTTP/1.1\r\nx-amzn-requestid: left-early\r\n${lines}\r\n\r\n`);
      await new Promise((r) => setTimeout(r, 50));
      sock.destroy();
      // The lookup completes after the client is gone.
      await new Promise((r) => setTimeout(r, lookupMs + 300));
      expect(echo.requests.length - before).toBe(0);
      const mine = log.lines.slice(records).filter((r) => r.requestPath === '/api/left-early');
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        requestId: 'left-early',
        failureReason: 'ClientAborted',
        responseCode: '-',
        // The scheme it tried, not ANONYMOUS; never verified, so no principal.
        authenticationType: 'SIGV4',
        callerPrincipal: '-',
        targetIpPort: '-',
      });
    } finally {
      lookupMs = 0;
    }
  });

  it("HTTP/2: a body latticed never read is not counted at its client-declared content-length", async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    try {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/claimed',
        ':authority': 'nowhere.example',
        'content-length': '1000000000000000',
        'x-amzn-requestid': 'claimed-length',
      });
      stream.on('error', () => undefined);
      stream.write('0123456789');
      stream.resume();
      await new Promise((r) => stream.on('close', r));
    } finally {
      session.close();
    }
    const [rec] = await recordsOf('claimed-length');
    expect(rec!.responseCode).toBe(404);
    // 10 bytes were sent (and none read); a petabyte was claimed.
    expect(rec!.bytesReceived).toBeLessThanOrEqual(10);
  });
});

describe('a failure inside latticed', () => {
  it('is a 500 InternalFailure with failureReason InternalFailure (not "-", which reads as a success)', async () => {
    const echo = await startEcho();
    const snapshot = buildSnapshot({ services: [{ name: 'inventory', forward: [['echo', 1]] }], targetGroups: [{ id: 'echo', port: echo.port }] });
    const service = [...snapshot.services.values()][0]!;
    // A bug in routing, as if a stage threw.
    (service.listeners.get(PORT) as { match: unknown }).match = () => {
      throw new Error('a bug');
    };
    const log = createMemoryAccessLog();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: log, ephemeralPorts: true });
    try {
      const r = await request(dp.ports().get(PORT)!, { host: service.dnsName });
      expect(r.status).toBe(500);
      await expect.poll(() => log.records.length).toBe(1);
      expect(log.records[0]).toMatchObject({ responseCode: 500, failureReason: 'InternalFailure' });
    } finally {
      process.off('warning', onWarning);
      await dp.close({ graceMs: 100 });
      await echo.close();
    }
  });
});
