import http from 'node:http';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { startDataPlane } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, request, startEcho, startH2Echo, until, type Echo, PORT } from './fixture.js';

const noCredentials = () => undefined;

describe('swap, ports, HTTPS, health checks and close', () => {
  let a: Echo, b: Echo;
  beforeAll(async () => {
    [a, b] = await Promise.all([startEcho('a'), startEcho('b')]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('swaps snapshots under load with zero failed requests, and new requests see the new routes', async () => {
    const snap = (rev: number) =>
      buildSnapshot({ revision: rev, services: [{ name: 'inventory', forward: [[rev % 2 === 0 ? 'b' : 'a', 1]] }], targetGroups: [{ id: 'a', port: a.port }, { id: 'b', port: b.port }] });
    const first = snap(1);
    const host = [...first.services.values()][0]!.dnsName;
    const log = createMemoryAccessLog();
    const dp = await startDataPlane({ snapshot: first, credentials: noCredentials, accessLog: log, ephemeralPorts: true });
    const port = dp.ports().get(PORT)!;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    let failures = 0;
    let done = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const status = await new Promise<number>((resolve) => {
          const req = http.request({ host: '127.0.0.1', port, path: '/slow/x', headers: { host }, agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          });
          req.on('error', () => resolve(0));
          req.end();
        });
        if (status !== 200) failures++;
        done++;
      }
    };
    const workers = Array.from({ length: 12 }, worker);
    for (let rev = 2; rev <= 11; rev++) {
      await new Promise((r) => setTimeout(r, 60));
      dp.swap(snap(rev));
    }
    await dp.settled();
    const r = await request(port, { host }); // revision 11: odd -> a
    expect(JSON.parse(r.body).name).toBe('a');
    dp.swap(snap(12));
    expect(JSON.parse((await request(port, { host })).body).name).toBe('b');
    stop = true;
    await Promise.all(workers);
    agent.destroy();
    expect(done).toBeGreaterThan(20);
    expect(failures).toBe(0);
    await dp.close({ graceMs: 1000 });
  });

  it('binds and unbinds listener ports as the snapshot set changes', async () => {
    const one = buildSnapshot({ services: [{ name: 'inventory', forward: [['a', 1]], ports: [80] }], targetGroups: [{ id: 'a', port: a.port }] });
    const two = buildSnapshot({ revision: 2, services: [{ name: 'inventory', forward: [['a', 1]], ports: [8080] }], targetGroups: [{ id: 'a', port: a.port }] });
    const host = [...one.services.values()][0]!.dnsName;
    const dp = await startDataPlane({ snapshot: one, credentials: noCredentials, accessLog: createMemoryAccessLog(), ephemeralPorts: true });
    const old = dp.ports().get(80)!;
    expect((await request(old, { host })).status).toBe(200);
    dp.swap(two);
    await dp.settled();
    expect([...dp.ports().keys()]).toEqual([8080]);
    const fresh = dp.ports().get(8080)!;
    expect((await request(fresh, { host })).status).toBe(200);
    await expect(request(old, { host })).rejects.toThrow();
    await dp.close({ graceMs: 500 });
  });

  it('close() stops accepting, lets in-flight requests finish and flushes the log', async () => {
    const snapshot = buildSnapshot({ services: [{ name: 'inventory', forward: [['a', 1]] }], targetGroups: [{ id: 'a', port: a.port }] });
    const host = [...snapshot.services.values()][0]!.dnsName;
    const log = createMemoryAccessLog();
    let flushed = false;
    const sink = { ...log, flush: async () => void (flushed = true) };
    const dp = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: sink, ephemeralPorts: true });
    const port = dp.ports().get(PORT)!;
    const inflight = request(port, { host, path: '/slow/drain' });
    await until(() => dp.inFlight() === 1);
    const closing = dp.close({ graceMs: 3000 });
    await new Promise((r) => setTimeout(r, 30));
    await expect(request(port, { host })).rejects.toThrow();
    expect((await inflight).status).toBe(200);
    await closing;
    expect(flushed).toBe(true);
    expect(log.records.filter((r) => r.requestPath === '/slow/drain')).toHaveLength(1);
  });

  it('close() cuts requests still running after the grace period', async () => {
    const snapshot = buildSnapshot({ services: [{ name: 'inventory', forward: [['a', 1]] }], targetGroups: [{ id: 'a', port: a.port }] });
    const host = [...snapshot.services.values()][0]!.dnsName;
    const dp = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: createMemoryAccessLog(), ephemeralPorts: true });
    const port = dp.ports().get(PORT)!;
    const inflight = request(port, { host, path: '/slow/cut' }).then((r) => r.status, () => 'cut');
    await until(() => dp.inFlight() === 1);
    const t0 = Date.now();
    await dp.close({ graceMs: 50 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await inflight).toBe('cut');
  });

  it('marks a target unhealthy after failed checks, skips it, and fails open when all are down', async () => {
    const snapshot = buildSnapshot({
      services: [{ name: 'inventory', forward: [['ab', 1]] }],
      targetGroups: [
        {
          id: 'ab',
          port: a.port,
          targets: [{ address: '127.0.0.1', port: a.port }, { address: '127.0.0.1', port: b.port }],
          healthCheck: { enabled: true, path: '/status/200', healthCheckIntervalSeconds: 3600, unhealthyThresholdCount: 1, healthyThresholdCount: 1 },
        },
      ],
    });
    const host = [...snapshot.services.values()][0]!.dnsName;
    const dp = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: createMemoryAccessLog(), ephemeralPorts: true });
    const port = dp.ports().get(PORT)!;
    await dp.checkHealth();
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(JSON.parse((await request(port, { host })).body).name);
    expect(names).toEqual(new Set(['a', 'b']));
    await b.close(); // b is now down
    await dp.checkHealth();
    for (let i = 0; i < 4; i++) expect(JSON.parse((await request(port, { host })).body).name).toBe('a');
    await a.close(); // both down: fail open (requests go to a target and fail there: 502, not 503)
    await dp.checkHealth();
    expect((await request(port, { host })).status).toBe(502);
    await dp.close({ graceMs: 200 });
    [a, b] = await Promise.all([startEcho('a'), startEcho('b')]);
  });

  it('serves HTTPS with SNI certificates and ALPN h2/http1.1', async () => {
    const dir = tempDir('tls');
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=inventory.example.internal', '-addext', 'subjectAltName=DNS:inventory.example.internal'], { stdio: 'ignore' });
    const pem = { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') };
    const snapshot = buildSnapshot({
      services: [{ name: 'inventory', customDomainName: 'inventory.example.internal', forward: [['a', 1]], ports: [443] }],
      targetGroups: [{ id: 'a', port: a.port }],
      ports: [{ port: 443, protocol: 'HTTPS', certificates: [{ serverNames: ['inventory.example.internal'], ...pem }] }],
    });
    const log = createMemoryAccessLog();
    const dp = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: log, ephemeralPorts: true });
    const port = dp.ports().get(443)!;
    const body = await new Promise<string>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port, servername: 'inventory.example.internal', path: '/tls', headers: { host: 'inventory.example.internal' }, ca: pem.cert, agent: false },
        (res) => {
          let out = '';
          res.on('data', (c) => (out += c));
          res.on('end', () => resolve(out));
        },
      );
      req.on('error', reject);
      req.end();
    });
    const seen = JSON.parse(body);
    expect(seen.headers['x-forwarded-proto']).toBe('https');
    expect(seen.headers['x-forwarded-port']).toBe('443');
    const { connect } = await import('node:http2');
    const h2status = await new Promise<number>((resolve, reject) => {
      const session = connect(`https://127.0.0.1:${port}`, { ca: pem.cert, servername: 'inventory.example.internal' });
      session.on('error', reject);
      const st = session.request({ ':path': '/tls-h2', ':authority': 'inventory.example.internal' });
      st.on('response', (h) => resolve(Number(h[':status'])));
      st.on('end', () => session.close());
      st.resume();
    });
    expect(h2status).toBe(200);
    await until(() => log.records.length === 2);
    // CONNECT over TLS's HTTP/1.1: a 400 and its record, as on plain ports.
    const { connect: tlsConnect } = await import('node:tls');
    const connectReply = await new Promise<string>((resolve, reject) => {
      const sock = tlsConnect({ host: '127.0.0.1', port, servername: 'inventory.example.internal', ca: pem.cert, ALPNProtocols: ['http/1.1'] }, () =>
        sock.write('CONNECT inventory.example.internal:443 HTTP/1.1\r\nhost: inventory.example.internal\r\n\r\n'),
      );
      let out = '';
      sock.on('data', (c: Buffer) => (out += c.toString()));
      sock.on('close', () => resolve(out));
      sock.on('error', reject);
    });
    expect(connectReply).toMatch(/^HTTP\/1\.1 400 /);
    await until(() => log.records.length === 3);
    expect(log.records[2]).toMatchObject({ requestMethod: 'CONNECT', listenerType: 'HTTPS', responseCode: 400, failureReason: 'InvalidPath' });
    expect(log.records[0]).toMatchObject({ listenerType: 'HTTPS', serverNameIndication: 'inventory.example.internal', protocol: 'HTTP/1.1' });
    expect(log.records[0]!.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(log.records[0]!.sslCipher).not.toBe('-');
    expect(log.records[1]!.protocol).toBe('HTTP/2.0');
    // An idle kept-alive TLS connection does not hold shutdown for the whole grace period.
    const agent = new https.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, servername: 'inventory.example.internal', path: '/idle', headers: { host: 'inventory.example.internal' }, ca: pem.cert, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    const t0 = Date.now();
    await dp.close({ graceMs: 5000 });
    expect(Date.now() - t0).toBeLessThan(2000);
    agent.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('re-gates a kept-alive connection after a swap that withdraws its security-group rule', async () => {
    const spec = (allowPorts?: number[]) => ({
      revision: allowPorts ? 2 : 1,
      vpcs: [{ id: 'vpc-0client00000000001', addresses: ['127.0.0.1'], ...(allowPorts ? { allowPorts } : {}) }],
      services: [{ name: 'inventory', forward: [['a', 1]] as [string, number][] }],
      targetGroups: [{ id: 'a', port: a.port }],
    });
    const first = buildSnapshot(spec());
    const host = [...first.services.values()][0]!.dnsName;
    const log = createMemoryAccessLog();
    const dp = await startDataPlane({ snapshot: first, credentials: noCredentials, accessLog: log, ephemeralPorts: true });
    const port = dp.ports().get(PORT)!;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get()).toBe(200);
    dp.swap(buildSnapshot(spec([443])));
    await expect(get()).rejects.toThrow();
    await until(() => log.records.some((r) => r.failureReason === 'SecurityGroupDenied'));
    agent.destroy();
    await dp.close({ graceMs: 200 });
  });

  it('acceptUnknownSources lets addresses in no VPC connect, to find no service (404)', async () => {
    const snapshot = buildSnapshot({ vpcs: [], services: [{ name: 'inventory', forward: [['a', 1]] }], targetGroups: [{ id: 'a', port: a.port }] });
    const host = [...snapshot.services.values()][0]!.dnsName;
    const dp = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: createMemoryAccessLog(), ephemeralPorts: true, acceptUnknownSources: true });
    expect((await request(dp.ports().get(PORT)!, { host })).status).toBe(404);
    await dp.close({ graceMs: 200 });
  });

  it('runs HTTP/2 health checks against HTTP2 target groups', async () => {
    const h2 = await startH2Echo();
    const snapshot = buildSnapshot({
      services: [{ name: 'inventory', forward: [['h2', 1]] }],
      targetGroups: [
        {
          id: 'h2',
          port: h2.port,
          protocolVersion: 'HTTP2',
          targets: [{ address: '127.0.0.1', port: h2.port }, { address: '127.0.0.1', port: 1 }],
          healthCheck: { enabled: true, protocolVersion: 'HTTP2', path: '/health', healthCheckIntervalSeconds: 3600, unhealthyThresholdCount: 1, healthCheckTimeoutSeconds: 1 },
        },
      ],
    });
    const host = [...snapshot.services.values()][0]!.dnsName;
    const dp = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: createMemoryAccessLog(), ephemeralPorts: true });
    await dp.checkHealth();
    const port = dp.ports().get(PORT)!;
    // The dead target (port 1) is out: every request succeeds.
    for (let i = 0; i < 4; i++) expect((await request(port, { host, path: '/x' })).status).toBe(200);
    expect(h2.requests.some((r) => r.url === '/health')).toBe(true);
    await dp.close({ graceMs: 200 });
    await h2.close();
  });
});
