/**
 * Resource limits and the upstream side under hostile targets: a target that stalls mid-body, cuts
 * its response, answers garbage; health checks against targets that never finish; an access log
 * whose file cannot take writes.
 */
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { HealthChecker } from '../../src/dataplane/health-checker.js';
import { TargetHealth } from '../../src/dataplane/target-health.js';
import type { HealthCheckConfig, Snapshot, TargetGroupRuntime } from '../../src/network/snapshot.js';
import { createFileAccessLog, createMemoryAccessLog, emptyRecord } from '../../src/observability/index.js';
import { buildSnapshot, until, PORT } from './fixture.js';

const noCredentials = () => undefined;

async function listen(server: net.Server | http2.Http2Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

/** A raw HTTP/1.1 target: `onRequest` gets the socket once the request headers have arrived. */
function rawTarget(onRequest: (s: net.Socket) => void): net.Server & { open: () => number } {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    let buf = '';
    const onData = (c: Buffer) => {
      buf += c.toString('latin1');
      if (!buf.includes('\r\n\r\n')) return;
      s.off('data', onData);
      onRequest(s);
    };
    s.on('data', onData);
  }) as net.Server & { open: () => number };
  const close = server.close.bind(server);
  server.close = ((cb?: () => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as typeof server.close;
  server.open = () => sockets.size;
  return server;
}

interface Outcome {
  status: number;
  body: string;
  /** How the response ended: 'end' (complete, as far as the client can tell) or an error. */
  ending: string;
  ms: number;
}

const HANG_MS = 4000;

function h1get(port: number, host: string, p: string): Promise<Outcome> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let status = -1;
    const chunks: Buffer[] = [];
    const done = (ending: string) => resolve({ status, body: Buffer.concat(chunks).toString(), ending, ms: Date.now() - t0 });
    const req = http.request({ host: '127.0.0.1', port, path: p, headers: { host }, agent: false }, (res) => {
      status = res.statusCode!;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done('end'));
      res.on('error', () => done('error'));
      res.on('aborted', () => done('aborted'));
    });
    req.on('error', () => done('error'));
    setTimeout(() => { req.destroy(); done('hang'); }, HANG_MS).unref();
    req.end();
  });
}

function h2get(port: number, authority: string, p: string): Promise<Outcome> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let status = -1;
    const chunks: Buffer[] = [];
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const done = (ending: string) => {
      session.destroy();
      resolve({ status, body: Buffer.concat(chunks).toString(), ending, ms: Date.now() - t0 });
    };
    session.on('error', () => done('error'));
    const stream = session.request({ ':path': p, ':authority': authority });
    stream.on('response', (h) => (status = Number(h[':status'])));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => done('end'));
    stream.on('error', () => done('error'));
    stream.on('close', () => done(stream.rstCode === 0 ? 'end' : 'error'));
    setTimeout(() => done('hang'), HANG_MS).unref();
  });
}

describe('hostile targets: every request ends in time, with one record saying why', () => {
  const servers: (net.Server | http2.Http2Server)[] = [];
  const h2sessions = new Set<http2.ServerHttp2Session>();
  let dp: DataPlane;
  let port: number;
  let host: string;
  const log = createMemoryAccessLog();
  const UPSTREAM_MS = 400;

  beforeAll(async () => {
    const targets: Record<string, net.Server | http2.Http2Server> = {
      // Sends its headers and part of the body, then nothing.
      h1stall: rawTarget((s) => s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nabc')),
      // Closes the connection mid-body.
      midclose: rawTarget((s) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nabc')),
      // More bytes than its content-length.
      overlong: rawTarget((s) => s.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhelloEXTRA-BYTES')),
      garbage: rawTarget((s) => s.write('SSH-2.0-OpenSSH_9.6\r\n\r\n')),
      // 102 Processing every 100 ms, never a final response.
      processing: rawTarget((s) => {
        const t = setInterval(() => s.write('HTTP/1.1 102 Processing\r\n\r\n'), 100);
        s.on('close', () => clearInterval(t));
      }),
      unsolicited100: rawTarget((s) => s.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok')),
      // A status HTTP/2 cannot carry (RFC 9113 §8.3.2 allows only 3 digits, Node only up to 599).
      status600: rawTarget((s) => s.end('HTTP/1.1 600 Odd\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok')),
      h2: http2.createServer(),
    };
    const h2 = targets.h2 as http2.Http2Server;
    h2.on('session', (s) => { h2sessions.add(s); s.on('close', () => h2sessions.delete(s)); });
    h2.on('stream', (stream, h) => {
      stream.on('error', () => undefined);
      const p = String(h[':path']);
      if (p.startsWith('/h2stall')) {
        stream.respond({ ':status': 200 });
        stream.write('abc');
      } else if (p.startsWith('/h2reset')) {
        stream.respond({ ':status': 200 });
        stream.write('abc');
        // RST_STREAM INTERNAL_ERROR mid-body.
        setTimeout(() => stream.destroy(new Error('target failed')), 50);
      } else if (p.startsWith('/h2drop')) {
        // The target's connection goes away mid-body.
        stream.respond({ ':status': 200 });
        stream.write('abc');
        setTimeout(() => stream.session?.destroy(), 50);
      } else if (p.startsWith('/h2slowstream')) {
        // Chunks more often than the timeout, for longer than it: a live stream, not a stall.
        stream.respond({ ':status': 200 });
        let n = 0;
        const t = setInterval(() => (++n === 8 ? (clearInterval(t), stream.end('end')) : stream.write(`${n},`)), 150);
        stream.on('close', () => clearInterval(t));
      } else {
        stream.respond({ ':status': 204 });
        stream.end();
      }
    });
    const names = Object.keys(targets);
    const ports = await Promise.all(names.map((n) => listen(targets[n]!)));
    servers.push(...Object.values(targets));
    const snapshot = buildSnapshot({
      services: [{
        name: 'inventory',
        forward: [['h2', 1]],
        rules: names.filter((n) => n !== 'h2').map((n) => ({ pathPrefix: `/${n}`, action: { targetGroups: [[n, 1]] as [string, number][] } })),
      }],
      targetGroups: names.map((n, i) => ({ id: n, port: ports[i]!, ...(n === 'h2' ? { protocolVersion: 'HTTP2' as const } : {}) })),
    });
    host = [...snapshot.services.values()][0]!.dnsName;
    dp = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: log, ephemeralPorts: true, timeouts: { upstreamResponseMs: UPSTREAM_MS } });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 200 });
    for (const s of h2sessions) s.destroy();
    for (const s of servers) s.close();
  });

  const recordsOf = (p: string, protocol: string) => log.records.filter((r) => r.requestPath === p && r.protocol === protocol);

  async function check(client: 'h1' | 'h2', p: string): Promise<{ out: Outcome; record: [unknown, unknown] }> {
    const out = await (client === 'h1' ? h1get(port, host, p) : h2get(port, host, p));
    const protocol = client === 'h1' ? 'HTTP/1.1' : 'HTTP/2.0';
    await until(() => recordsOf(p, protocol).length > 0, 2000);
    await new Promise((r) => setTimeout(r, 50));
    const recs = recordsOf(p, protocol);
    expect(recs).toHaveLength(1);
    return { out, record: [recs[0]!.responseCode, recs[0]!.failureReason] };
  }

  for (const client of ['h1', 'h2'] as const) {
    it(`${client} client: an HTTP/2 target that stalls after its response headers is cut after the timeout (TargetTimeout)`, async () => {
      const { out, record } = await check(client, `/h2stall-${client}`);
      expect(out.ending).not.toBe('hang');
      expect(out.ending).not.toBe('end');
      expect(out.ms).toBeLessThan(UPSTREAM_MS * 4);
      expect(out.status).toBe(200);
      expect(record).toEqual([200, 'TargetTimeout']);
    });

    it(`${client} client: an HTTP/2 target whose chunks keep coming is not cut, however long the stream`, async () => {
      const { out, record } = await check(client, `/h2slowstream-${client}`);
      expect(out).toMatchObject({ status: 200, ending: 'end', body: '1,2,3,4,5,6,7,end' });
      expect(record).toEqual([200, '-']);
    });

    it(`${client} client: a response the target cuts is seen as cut by the client, not as complete`, async () => {
      for (const p of [`/midclose-${client}`, `/h1stall-${client}`, `/h2reset-${client}`, `/h2drop-${client}`]) {
        const { out, record } = await check(client, p);
        expect([p, out.ending]).not.toEqual([p, "end"]);
        expect(out.ending).not.toBe('hang');
        expect(out.body).toBe('abc');
        expect(record).toEqual([200, p.startsWith('/h1stall') ? 'TargetTimeout' : 'TargetResetError']);
      }
    });

    // undici restarts its headers timeout on every 1xx: the relay times such a target out itself.
    it(`${client} client: an HTTP/1.1 target that sends 1xx for ever gets 504 after the timeout`, async () => {
      const { out, record } = await check(client, `/processing-${client}`);
      expect(out).toMatchObject({ status: 504, ending: 'end' });
      expect(out.ms).toBeLessThan(UPSTREAM_MS * 4);
      expect(record).toEqual([504, 'TargetTimeout']);
    });

    it(`${client} client: a status of 600 is relayed to HTTP/1.1 and is a 502 for HTTP/2 (which cannot carry it), at once`, async () => {
      const { out, record } = await check(client, `/status600-${client}`);
      if (client === 'h1') expect(out).toMatchObject({ status: 600, ending: 'end', body: 'ok' });
      else {
        expect(out).toMatchObject({ status: 502, ending: 'end' });
        expect(out.ms).toBeLessThan(UPSTREAM_MS);
        expect(record).toEqual([502, 'TargetConnectionError']);
      }
    });

    it(`${client} client: garbage, an unsolicited 100 and an overlong body: 502 or the declared body, never a hang`, async () => {
      expect(await check(client, `/garbage-${client}`)).toMatchObject({ out: { status: 502, ending: 'end' }, record: [502, 'TargetConnectionError'] });
      expect(await check(client, `/unsolicited100-${client}`)).toMatchObject({ out: { status: 502, ending: 'end' }, record: [502, 'TargetResetError'] });
      expect(await check(client, `/overlong-${client}`)).toMatchObject({ out: { status: 200, ending: 'end', body: 'hello' }, record: [200, '-'] });
    });
  }
});

describe('health checks against targets that never finish', () => {
  const cfg = (over: Partial<HealthCheckConfig>): HealthCheckConfig => ({
    enabled: true,
    protocol: 'HTTP',
    protocolVersion: 'HTTP1',
    path: '/',
    healthCheckIntervalSeconds: 0.1,
    healthCheckTimeoutSeconds: 0.3,
    healthyThresholdCount: 1,
    unhealthyThresholdCount: 1,
    matcher: { httpCode: '200' },
    ...over,
  });
  const snapshotWith = (healthCheck: HealthCheckConfig, port: number): Snapshot =>
    ({ targetGroups: new Map([['g', { healthCheck, targets: [{ id: 't', key: 'g/t', address: '127.0.0.1', port }] } as unknown as TargetGroupRuntime]]) }) as unknown as Snapshot;

  async function watch(target: ReturnType<typeof rawTarget>, healthCheck: HealthCheckConfig, ms: number): Promise<{ maxOpen: number; healthy: boolean }> {
    const port = await listen(target);
    const health = new TargetHealth();
    const checker = new HealthChecker(health);
    checker.reconcile(snapshotWith(healthCheck, port));
    let maxOpen = 0;
    const t = setInterval(() => (maxOpen = Math.max(maxOpen, target.open())), 20);
    await new Promise((r) => setTimeout(r, ms));
    clearInterval(t);
    checker.stop();
    target.close();
    return { maxOpen, healthy: health.isHealthy('g/t') };
  }

  it('a target that streams its body forever fails its checks, and its probes do not pile up', async () => {
    const streaming = rawTarget((s) => {
      s.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
      const t = setInterval(() => s.write('1\r\nx\r\n'), 30);
      s.on('close', () => clearInterval(t));
    });
    const { maxOpen, healthy } = await watch(streaming, cfg({}), 1500);
    expect(healthy).toBe(false);
    expect(maxOpen).toBeLessThanOrEqual(2);
  });

  it('a target that trickles its headers is cut by the timeout, not kept alive by each byte', async () => {
    const trickle = rawTarget((s) => {
      const bytes = 'HTTP/1.1 200 OK\r\nx-slow: ' + 'a'.repeat(200);
      let i = 0;
      const t = setInterval(() => (i < bytes.length ? s.write(bytes[i++]!) : clearInterval(t)), 30);
      s.on('close', () => clearInterval(t));
    });
    const { maxOpen, healthy } = await watch(trickle, cfg({}), 1500);
    expect(healthy).toBe(false);
    expect(maxOpen).toBeLessThanOrEqual(2);
  });

  it('a timeout longer than the interval does not run two probes of one target at once', async () => {
    const silent = rawTarget(() => undefined);
    const { maxOpen } = await watch(silent, cfg({ healthCheckIntervalSeconds: 0.05, healthCheckTimeoutSeconds: 1 }), 800);
    expect(maxOpen).toBe(1);
  });

  it('an HTTP/2 target that drops its connection without answering fails the check at once', async () => {
    const server = http2.createServer();
    server.on('session', (s) => setTimeout(() => s.destroy(), 20));
    server.on('stream', (stream) => stream.on('error', () => undefined));
    const port = await listen(server);
    const health = new TargetHealth();
    const checker = new HealthChecker(health);
    checker.reconcile(snapshotWith(cfg({ protocolVersion: 'HTTP2', healthCheckIntervalSeconds: 3600, healthCheckTimeoutSeconds: 5 }), port));
    const t0 = Date.now();
    await checker.runOnce();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(health.isHealthy('g/t')).toBe(false);
    checker.stop();
    server.close();
  });
});

describe('an access-log file that does not take writes', () => {
  const bigRecord = () => ({ ...emptyRecord(), userAgent: 'u'.repeat(1000) });

  it('an unopenable file: writes are dropped, flush and close return, nothing is held', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latticed-log-'));
    fs.writeFileSync(path.join(dir, 'file'), '');
    // A path under a regular file: the directory cannot be created, the file cannot be opened.
    const log = createFileAccessLog({ path: path.join(dir, 'file', 'access.log'), minLength: 4096 });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (let i = 0; i < 2000; i++) log.write(bigRecord());
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 0; i < 2000; i++) log.write(bigRecord());
      const within = (p: Promise<unknown>) => Promise.race([p.then(() => 'done', () => 'done'), new Promise((r) => setTimeout(() => r('hang'), 2000))]);
      expect(await within(log.flush())).toBe('done');
      expect(await within(log.close())).toBe('done');
      const said = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(said).toMatch(/access log .*access\.log: /);
      expect(said).toMatch(/\d+ records dropped/);
    } finally {
      stderr.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(fs.existsSync('/dev/full'))('a full disk: memory stays bounded (records beyond the buffer are dropped) and close returns', async () => {
    const log = createFileAccessLog({ path: '/dev/full', minLength: 4096, maxBufferBytes: 256 * 1024 });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // ~4 MB of records: 16 times the buffer.
      for (let i = 0; i < 4000; i++) {
        log.write(bigRecord());
        if (i % 500 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      await log.flush().catch(() => undefined);
      await Promise.race([log.close(), new Promise((r) => setTimeout(r, 2000))]);
      const said = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(said).toMatch(/ENOSPC/);
      const dropped = Number(/(\d+) records dropped/.exec(said)?.[1] ?? 0);
      expect(dropped).toBeGreaterThan(3000);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('shutdown with an access log that never finishes flushing (a stalled disk)', () => {
  it('close() still returns, soon after the grace period', async () => {
    const snapshot = buildSnapshot({ services: [{ name: 'inventory', forward: [['tg', 1]] }], targetGroups: [{ id: 'tg', port: 9 }] });
    const stalled = { write: () => undefined, flush: () => new Promise<void>(() => undefined), close: async () => undefined };
    const dp = await startDataPlane({ snapshot, credentials: noCredentials, accessLog: stalled, ephemeralPorts: true, healthChecks: false });
    const started = performance.now();
    await dp.close({ graceMs: 100 });
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
