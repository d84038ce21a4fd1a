import net from 'node:net';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, request, startEcho, until, type Echo, PORT } from './fixture.js';

const noCredentials = () => undefined;

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Sends raw bytes and returns what comes back until the server closes or `ms` passes. */
function raw(port: number, data: string | Buffer, ms = 1000, localAddress?: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    let out = '';
    sock.on('data', (c) => (out += c.toString('latin1')));
    sock.on('error', () => resolve(out));
    sock.on('close', () => resolve(out));
    sock.on('connect', () => sock.write(data));
    setTimeout(() => { sock.destroy(); resolve(out); }, ms);
  });
}

describe('connection gate, upstream failures, limits and hostile clients', () => {
  let echo: Echo;
  let silent: net.Server;
  let dp: DataPlane;
  let port: number;
  let host: string;
  const log = createMemoryAccessLog();

  beforeAll(async () => {
    echo = await startEcho();
    // Accepts connections and never answers: upstream timeouts.
    silent = net.createServer((s) => s.on('error', () => undefined));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const resetter = net.createServer((s) => s.once('data', () => s.resetAndDestroy()));
    await new Promise<void>((r) => resetter.listen(0, '127.0.0.1', r));
    const snapshot = buildSnapshot({
      vpcs: [
        { id: 'vpc-0client00000000001', addresses: ['127.0.0.1'] },
        { id: 'vpc-0blocked0000000002', addresses: ['127.0.0.2'], allowPorts: [443] },
        { id: 'vpc-0lonely00000000003', addresses: ['127.0.0.3'], associated: false },
      ],
      services: [
        {
          name: 'inventory',
          forward: [['echo', 1]],
          rules: [
            { pathPrefix: '/dead', action: { targetGroups: [['dead', 1]] } },
            { pathPrefix: '/silent', action: { targetGroups: [['silent', 1]] } },
            { pathPrefix: '/reset', action: { targetGroups: [['reset', 1]] } },
            { pathPrefix: '/empty', action: { targetGroups: [['empty', 1]] } },
          ],
        },
      ],
      targetGroups: [
        { id: 'echo', port: echo.port },
        { id: 'dead', port: await deadPort() },
        { id: 'silent', port: (silent.address() as net.AddressInfo).port },
        { id: 'reset', port: (resetter.address() as net.AddressInfo).port },
        { id: 'empty', port: 1, targets: [] },
      ],
    });
    host = [...snapshot.services.values()][0]!.dnsName;
    dp = await startDataPlane({
      snapshot,
      credentials: noCredentials,
      accessLog: log,
      ephemeralPorts: true,
      timeouts: { upstreamResponseMs: 400 },
      limits: { maxHeaderCount: 20, maxHeaderBytes: 4096 },
    });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 500 });
    await echo.close();
    silent.close();
  });

  const last = () => log.records.at(-1)!;

  it('refuses a VPC whose security groups do not allow the port, and logs why', async () => {
    const before = log.records.length;
    await expect(request(port, { host, localAddress: '127.0.0.2' })).rejects.toThrow();
    await until(() => log.records.length === before + 1);
    expect(last()).toMatchObject({ failureReason: 'SecurityGroupDenied', sourceVpcId: 'vpc-0blocked0000000002', protocol: 'TCP', responseCode: '-' });
    expect(last().sourceIpPort).toMatch(/^127\.0\.0\.2:\d+$/);
  });

  it('refuses a VPC that is not associated, and an address in no VPC', async () => {
    const before = log.records.length;
    await expect(request(port, { host, localAddress: '127.0.0.3' })).rejects.toThrow();
    await expect(request(port, { host, localAddress: '127.0.0.9' })).rejects.toThrow();
    await until(() => log.records.length === before + 2);
    expect(log.records.slice(-2).map((r) => r.failureReason)).toEqual(['VpcNotAssociated', 'UnknownSourceVpc']);
  });

  it('502 when the target refuses the connection', async () => {
    const r = await request(port, { host, path: '/dead' });
    expect(r.status).toBe(502);
    await until(() => last().requestPath === '/dead');
    expect(last().failureReason).toBe('TargetConnectionError');
  });

  it('502 when the target resets the connection', async () => {
    const r = await request(port, { host, path: '/reset' });
    expect(r.status).toBe(502);
    await until(() => last().requestPath === '/reset');
    expect(last().failureReason).toBe('TargetResetError');
  });

  it('504 when the target does not answer in time', async () => {
    const r = await request(port, { host, path: '/silent' });
    expect(r.status).toBe(504);
    expect(JSON.parse(r.body).__type).toBe('GatewayTimeoutException');
    await until(() => last().requestPath === '/silent');
    expect(last().failureReason).toBe('TargetTimeout');
  });

  it('503 when the target group has no targets', async () => {
    const r = await request(port, { host, path: '/empty' });
    expect(r.status).toBe(503);
    await until(() => last().requestPath === '/empty');
    expect(last().failureReason).toBe('NoTargets');
  });

  it('400 for too many headers and for headers too large, with a record each', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 30; i++) many[`x-h${i}`] = 'v';
    const before = log.records.length;
    const r = await request(port, { host, headers: many });
    expect(r.status).toBe(400);
    const big = await raw(port, `GET / HTTP/1.1\r\nhost: ${host}\r\nx-big: ${'a'.repeat(8000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 400/);
    await until(() => log.records.length === before + 2);
    expect(log.records.slice(-2).map((x) => x.failureReason)).toEqual(['HeaderLimitExceeded', 'HeaderLimitExceeded']);
  });

  it('400 (never 500, never a crash) for garbage, bad request lines and absolute-form targets', async () => {
    expect(await raw(port, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(port, `GET /a b c HTTP/1.1\r\nhost: ${host}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(port, `GET http://evil/x HTTP/1.1\r\nhost: ${host}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(port, `GET /a%00 HTTP/1.1\r\nhost: ${host}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01]))).toMatch(/^(HTTP\/1\.1 400|)/);
    // Still serving.
    expect((await request(port, { host })).status).toBe(200);
  });

  it('logs a client that aborts mid-body once, as ClientAborted', async () => {
    const before = log.records.length;
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/upload-abort', headers: { host, 'content-length': '100000' }, agent: false });
      req.on('error', () => resolve());
      req.write('x'.repeat(1000));
      setTimeout(() => { req.destroy(); resolve(); }, 100);
    });
    await until(() => log.records.length > before);
    await new Promise((r) => setTimeout(r, 300));
    const mine = log.records.slice(before).filter((r) => r.requestPath === '/upload-abort');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.failureReason).toBe('ClientAborted');
    // The cut-off body is that request's end, not a second, unparseable request.
    expect(log.records.slice(before)).toHaveLength(1);
  });

  it('logs a client that goes away while the target is still answering once', async () => {
    const before = log.records.length;
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/slow/abort', headers: { host }, agent: false });
      req.on('error', () => resolve());
      req.end();
      setTimeout(() => { req.destroy(); resolve(); }, 50);
    });
    await new Promise((r) => setTimeout(r, 600));
    const mine = log.records.slice(before).filter((r) => r.requestPath === '/slow/abort');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.failureReason).toBe('ClientAborted');
  });

  it('answers 408 to a client that never finishes its headers (slowloris), and logs it', async () => {
    const slow = await startDataPlane({
      snapshot: buildSnapshot({ services: [{ name: 'inventory', forward: [['echo', 1]] }], targetGroups: [{ id: 'echo', port: echo.port }] }),
      credentials: noCredentials,
      accessLog: log,
      ephemeralPorts: true,
      timeouts: { headersMs: 500, requestMs: 1000 },
    });
    const before = log.records.length;
    const t0 = Date.now();
    const out = await raw(slow.ports().get(PORT)!, 'GET / HTTP/1.1\r\nhost: x\r\nx-slow: 1\r\n', 4000);
    expect(out).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - t0).toBeLessThan(3000);
    await until(() => log.records.length > before);
    expect(log.records.at(-1)!.failureReason).toBe('ClientTimeout');
    // Silent connections, and half an HTTP/2 preface, are cut too.
    const t1 = Date.now();
    expect(await raw(slow.ports().get(PORT)!, '', 4000)).toBe('');
    expect(await raw(slow.ports().get(PORT)!, 'PRI * HTTP/2.0\r\n', 4000)).toBe('');
    expect(Date.now() - t1).toBeLessThan(3000);
    await slow.close({ graceMs: 100 });
  });

  it('a body that stalls or does not parse fails its own request: one record, no second one for the leftovers', async () => {
    const snapshot = buildSnapshot({ services: [{ name: 'inventory', forward: [['echo', 1]] }], targetGroups: [{ id: 'echo', port: echo.port }] });
    const svcHost = [...snapshot.services.values()][0]!.dnsName;
    const slow = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: log, ephemeralPorts: true, timeouts: { headersMs: 500, requestMs: 1000 } });
    const p = slow.ports().get(PORT)!;
    const before = log.records.length;
    const mine = (path: string) => log.records.filter((r) => r.requestPath === path);

    // Headers complete, body never finishes: the request timeout answers that request 408.
    const stalled = await raw(p, `POST /stalled HTTP/1.1\r\nhost: ${svcHost}\r\ncontent-length: 10\r\n\r\nabc`, 4000);
    expect(stalled).toMatch(/^HTTP\/1\.1 408 /);
    expect(stalled).toContain('"__type":"RequestTimeoutException"');
    expect(stalled.toLowerCase()).toContain('connection: close');

    // A chunked body that breaks mid-way: 400 for that request.
    const broken = await raw(p, `POST /broken HTTP/1.1\r\nhost: ${svcHost}\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n`, 2000);
    expect(broken).toMatch(/^HTTP\/1\.1 400 /);
    expect(broken).toContain('"__type":"BadRequestException"');

    // Answered before its body arrived (no such service), then the body breaks: still one record.
    const early = await raw(p, `POST /early HTTP/1.1\r\nhost: nowhere\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n`, 2000);
    expect(early).toMatch(/^HTTP\/1\.1 404 /);

    await until(() => mine('/stalled').length > 0 && mine('/broken').length > 0 && mine('/early').length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(mine('/stalled').map((r) => [r.responseCode, r.failureReason])).toEqual([[408, 'ClientTimeout']]);
    expect(mine('/broken').map((r) => [r.responseCode, r.failureReason])).toEqual([[400, 'MalformedRequest']]);
    expect(mine('/early').map((r) => [r.responseCode, r.failureReason])).toEqual([[404, 'ServiceNotFound']]);
    // No record without a request behind it, and each record knows its connection's VPC.
    expect(log.records.slice(before).filter((r) => r.requestMethod === '-')).toEqual([]);

    // Garbage pipelined behind a request still waiting for its target. The HTTP/1.1 fast path reads
    // a connection's next request only once the response in progress is done: that request is
    // answered, then the garbage gets its 400. node:http parses on arrival: the connection is cut at
    // once. Either way no raw 400 is slipped in ahead of a response, and each request has its record.
    const n = log.records.length;
    const piped = await raw(p, `GET /slow/piped HTTP/1.1\r\nhost: ${svcHost}\r\n\r\nNOT HTTP\r\n\r\n`, 2000);
    expect(piped).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\n0\r\n\r\nHTTP\/1\.1 400 /);
    await until(() => log.records.length >= n + 2);
    expect(log.records.slice(n).map((r) => [r.requestPath, r.responseCode, r.failureReason]).sort()).toEqual([['-', 400, 'MalformedRequest'], ['/slow/piped', 200, '-']]);
    expect(mine('/broken')[0]!.sourceVpcId).not.toBe('-');

    const viaNode = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: log, ephemeralPorts: true, http1FastPath: false });
    const m = log.records.length;
    const cut = await raw(viaNode.ports().get(PORT)!, `GET /slow/piped-node HTTP/1.1\r\nhost: ${svcHost}\r\n\r\nNOT HTTP\r\n\r\n`, 2000);
    expect(cut).toBe('');
    await until(() => log.records.length >= m + 2);
    expect(log.records.slice(m).map((r) => [r.requestPath, r.failureReason]).sort()).toEqual([['-', 'MalformedRequest'], ['/slow/piped-node', 'ClientAborted']]);
    await viaNode.close({ graceMs: 100 });
    await slow.close({ graceMs: 100 });
  });

  it('answers 501 to a transfer coding other than chunked, which it could not pass on', async () => {
    const before = log.records.length;
    const out = await raw(port, `POST /gzipped HTTP/1.1\r\nhost: ${host}\r\ntransfer-encoding: gzip, chunked\r\nconnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 501 /);
    expect(out).toContain('"__type":"NotImplementedException"');
    // Plain chunked still goes through.
    expect(await raw(port, `POST /chunked HTTP/1.1\r\nhost: ${host}\r\ntransfer-encoding: Chunked\r\nconnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n`)).toMatch(/^HTTP\/1\.1 200 /);
    await until(() => log.records.length >= before + 2);
    expect(log.records.slice(before).map((r) => [r.requestPath, r.responseCode, r.failureReason])).toEqual([
      ['/gzipped', 501, 'MalformedRequest'],
      ['/chunked', 200, '-'],
    ]);
  });

  it('answers an Expect other than 100-continue 417 itself, logged like any request', async () => {
    const before = log.records.length;
    const out = await raw(port, `GET /expect HTTP/1.1\r\nhost: ${host}\r\nexpect: something-else\r\nconnection: close\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 417 /);
    expect(out).toContain('"__type":"ExpectationFailedException"');
    expect(out.toLowerCase()).toContain('x-amzn-requestid: ');
    await until(() => log.records.length > before);
    expect(log.records.slice(before).map((r) => [r.requestPath, r.responseCode, r.failureReason])).toEqual([['/expect', 417, 'MalformedRequest']]);
  });
});
