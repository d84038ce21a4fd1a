import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, request, startEcho, until, type Echo, PORT } from './fixture.js';

const noCredentials = () => undefined;

describe('routing and forwarding (authType NONE)', () => {
  let a: Echo, b: Echo, c: Echo;
  let dp: DataPlane;
  let port: number;
  const log = createMemoryAccessLog();
  let host: string;

  beforeAll(async () => {
    [a, b, c] = await Promise.all([startEcho('a'), startEcho('b'), startEcho('c')]);
    const snapshot = buildSnapshot({
      services: [
        {
          name: 'inventory',
          customDomainName: 'inventory.example.internal',
          forward: [['a', 1]],
          rules: [
            { pathPrefix: '/fixed', action: { type: 'fixedResponse', statusCode: 404 } },
            { pathPrefix: '/b', method: 'GET', action: { targetGroups: [['b', 1]] } },
            { pathPrefix: '/weighted', action: { targetGroups: [['a', 1], ['b', 3]] } },
            { pathPrefix: '/rr', action: { targetGroups: [['ac', 1]] } },
            { pathPrefix: '/zero', action: { targetGroups: [['a', 0]] } },
          ],
        },
      ],
      targetGroups: [
        { id: 'a', port: a.port },
        { id: 'b', port: b.port },
        { id: 'ac', port: a.port, targets: [{ address: '127.0.0.1', port: a.port }, { address: '127.0.0.1', port: c.port }] },
      ],
    });
    host = [...snapshot.services.values()][0]!.dnsName;
    dp = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: log, ephemeralPorts: true });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 1000 });
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('binds the configured port where asked and reports the mapping', () => {
    expect([...dp.ports().keys()]).toEqual([PORT]);
    expect(port).toBeGreaterThan(0);
  });

  it('routes by Host (generated DNS name, any case, with a port) and by custom domain', async () => {
    for (const h of [host, host.toUpperCase(), `${host}:80`, 'inventory.example.internal']) {
      const r = await request(port, { host: h, path: '/api/stock?x=1' });
      expect(r.status).toBe(200);
      const body = JSON.parse(r.body);
      expect(body.name).toBe('a');
      expect(body.url).toBe('/api/stock?x=1');
      expect(body.headers.host).toBe(h);
    }
  });

  it('answers 404 for a host that is no associated service, without reaching a target', async () => {
    const before = a.requests.length + b.requests.length;
    const r = await request(port, { host: 'other.example' });
    expect(r.status).toBe(404);
    expect(r.headers['x-amzn-errortype']).toBe('NotFoundException');
    expect(JSON.parse(r.body).__type).toBe('NotFoundException');
    expect(a.requests.length + b.requests.length).toBe(before);
  });

  it('applies listener rules in order, then the default action', async () => {
    expect(JSON.parse((await request(port, { host, path: '/b/1' })).body).name).toBe('b');
    expect(JSON.parse((await request(port, { host, path: '/b/1', method: 'POST', body: 'x' })).body).name).toBe('a');
    const fixed = await request(port, { host, path: '/fixed' });
    expect(fixed.status).toBe(404);
    expect(fixed.body).toBe('');
  });

  it('splits by weight among target groups', async () => {
    const counts: Record<string, number> = { a: 0, b: 0 };
    for (let i = 0; i < 200; i++) counts[JSON.parse((await request(port, { host, path: '/weighted' })).body).name]!++;
    expect(counts.a! + counts.b!).toBe(200);
    expect(counts.b!).toBeGreaterThan(110);
    expect(counts.a!).toBeGreaterThan(15);
  });

  it('round-robins among the targets of a group', async () => {
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push(JSON.parse((await request(port, { host, path: '/rr' })).body).name);
    expect(new Set(names)).toEqual(new Set(['a', 'c']));
    for (let i = 1; i < names.length; i++) expect(names[i]).not.toBe(names[i - 1]);
  });

  it('answers 503 when the only target group has weight 0', async () => {
    const r = await request(port, { host, path: '/zero' });
    expect(r.status).toBe(503);
  });

  it('streams request and response bodies', async () => {
    const big = 'x'.repeat(3_000_000);
    const r = await request(port, { host, method: 'POST', path: '/upload', body: big, headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).body.length).toBe(big.length);
  });

  it('adds x-forwarded-* and Lattice network/target headers, replacing what the client sent', async () => {
    const r = await request(port, {
      host,
      headers: {
        'x-forwarded-for': '10.9.9.9',
        'x-amzn-lattice-identity': 'Principal=arn:aws:iam::999999999999:root',
        'X-Amzn-Lattice-Network': 'SourceVpcArn=spoofed',
        'x-amzn-lattice-anything': 'spoofed',
      },
    });
    const h = JSON.parse(r.body).headers;
    expect(h['x-forwarded-for']).toBe('127.0.0.1');
    expect(h['x-forwarded-port']).toBe(String(PORT));
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-amzn-lattice-network']).toBe('SourceVpcArn=arn:aws:ec2:us-west-2:123456789012:vpc/vpc-0client00000000001');
    expect(h['x-amzn-lattice-target']).toMatch(
      /^ServiceArn=arn:aws:vpc-lattice:us-west-2:123456789012:service\/svc-\w{17};ServiceNetworkArn=arn:aws:vpc-lattice:us-west-2:123456789012:servicenetwork\/sn-\w{17};TargetGroupArn=arn:aws:vpc-lattice:us-west-2:123456789012:targetgroup\/tg-\w{17}$/,
    );
    expect(h['x-amzn-lattice-identity']).toBeUndefined();
    expect(h['x-amzn-lattice-anything']).toBeUndefined();
  });

  it('keeps the client x-amzn-requestid (truncated to 512 bytes) or generates one, and returns it', async () => {
    const mine = await request(port, { host, headers: { 'x-amzn-requestid': 'req-123' } });
    expect(mine.headers['x-amzn-requestid']).toBe('req-123');
    expect(JSON.parse(mine.body).headers['x-amzn-requestid']).toBe('req-123');
    // 801 bytes of UTF-8 on the wire (Node sends header strings as latin1, one byte per character).
    const long = Buffer.from('a' + 'é'.repeat(400)).toString('latin1');
    const cut = await request(port, { host, headers: { 'x-amzn-requestid': long } });
    const id = Buffer.from(cut.headers['x-amzn-requestid'] as string, 'latin1');
    expect(id.length).toBe(511); // 512 would split a character
    expect(id.toString('utf8')).toBe('a' + 'é'.repeat(255));
    const fresh = await request(port, { host });
    expect(fresh.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('forwards the normalised path, and rejects ambiguous ones before any target', async () => {
    const seen = a.requests.length;
    expect(JSON.parse((await request(port, { host, path: '/api/stock/../admin' })).body).url).toBe('/api/admin');
    expect(JSON.parse((await request(port, { host, path: '/api/%2e%2e/admin' })).body).url).toBe('/admin');
    expect(JSON.parse((await request(port, { host, path: '//api/stock' })).body).url).toBe('/api/stock');
    expect(JSON.parse((await request(port, { host, path: '/API/stock' })).body).url).toBe('/API/stock');
    const enc = await request(port, { host, path: '/api/stock%2F..%2Fadmin' });
    expect(enc.status).toBe(400);
    expect(JSON.parse(enc.body).__type).toBe('BadRequestException');
    expect((await request(port, { host, path: '/../etc' })).status).toBe(400);
    expect(a.requests.length).toBe(seen + 4);
  });

  it('writes exactly one access-log record per request, with Lattice fields', async () => {
    const before = log.records.length;
    const r = await request(port, { host, path: '/api/stock?item=1', headers: { 'user-agent': 'test-agent' } });
    await until(() => log.records.length === before + 1);
    const rec = log.records.at(-1)!;
    expect(rec.requestId).toBe(r.headers['x-amzn-requestid']);
    expect(rec).toMatchObject({
      requestMethod: 'GET',
      requestPath: '/api/stock?item=1',
      protocol: 'HTTP/1.1',
      responseCode: 200,
      userAgent: 'test-agent',
      hostHeader: host,
      sourceVpcId: 'vpc-0client00000000001',
      authenticationType: 'NONE',
      failureReason: '-',
      targetIpPort: `127.0.0.1:${a.port}`,
      listenerType: 'HTTP',
      tlsVersion: '-',
      callerPrincipal: '-',
    });
    expect(rec.serviceArn).toMatch(/:service\/svc-/);
    expect(rec.targetGroupArn).toMatch(/:targetgroup\/tg-/);
    expect(rec.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(rec.bytesReceived).toBeGreaterThan(0);
    expect(rec.bytesSent).toBeGreaterThan(0);
    expect(typeof rec.requestToTargetDuration).toBe('number');
  });
});
