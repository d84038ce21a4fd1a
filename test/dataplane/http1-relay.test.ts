import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { responseHeaders } from '../../src/dataplane/http1-relay.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, PORT, request, until } from './fixture.js';

describe('responseHeaders', () => {
  it('keeps repeated headers as arrays, drops hop-by-hop ones, and adds x-amzn-requestid', () => {
    const raw = ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'Connection', 'keep-alive', 'Keep-Alive', 'timeout=5', 'Transfer-Encoding', 'chunked', 'X-Custom', 'v'].map((s) =>
      Buffer.from(s, 'latin1'),
    );
    expect(responseHeaders(raw, 'rid-1')).toEqual({
      'content-type': 'text/plain',
      'set-cookie': ['a=1', 'b=2'],
      'x-custom': 'v',
      'x-amzn-requestid': 'rid-1',
    });
  });

  it('replaces an x-amzn-requestid the target sent with latticed’s', () => {
    expect(responseHeaders([Buffer.from('x-amzn-requestid'), Buffer.from('target-id')], 'rid-2')['x-amzn-requestid']).toBe('rid-2');
  });
});

/** An upstream whose behaviour each test sets. */
function startUpstream(handler: http.RequestListener): Promise<{ port: number; server: http.Server }> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, server })));
}

describe('HTTP/1.1 relay through the data plane', () => {
  let handler: http.RequestListener = (_req, res) => res.end();
  let upstream: { port: number; server: http.Server };
  let dp: DataPlane;
  let port: number;
  let host: string;
  const log = createMemoryAccessLog();

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => handler(req, res));
    const snapshot = buildSnapshot({
      vpcs: [{ id: 'vpc-0client00000000001', addresses: ['127.0.0.1'] }],
      services: [{ name: 'files', forward: [['up', 1]] }],
      targetGroups: [{ id: 'up', port: upstream.port }],
    });
    host = [...snapshot.services.values()][0]!.dnsName;
    dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: log, ephemeralPorts: true });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 500 });
    upstream.server.closeAllConnections();
    upstream.server.close();
  });

  it('applies backpressure: a client that stops reading stops the target, and every byte still arrives', async () => {
    const total = 64 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 97);
    let written = 0;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    };
    let received = 0;
    let writtenWhilePaused = -1;
    const done = new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/big', headers: { host }, agent: false }, (res) => {
        res.once('data', (c: Buffer) => {
          received += c.length;
          res.pause();
          // While the client reads nothing, the target can only fill the socket buffers on the way.
          setTimeout(() => {
            writtenWhilePaused = written;
            res.on('data', (d: Buffer) => (received += d.length));
            res.resume();
          }, 500);
        });
        res.on('end', () => resolve(received));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    expect(await done).toBe(total);
    expect(writtenWhilePaused).toBeGreaterThan(0);
    expect(writtenWhilePaused).toBeLessThan(total / 4);
    expect(written).toBe(total);
  });

  it('stops reading from the target when the client goes away mid-response, and logs it once', async () => {
    let upstreamClosed = false;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part');
      res.on('close', () => (upstreamClosed = true));
      // Never ends by itself: only the proxy cancelling the exchange closes it.
    };
    const before = log.records.length;
    await new Promise<void>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/hang', headers: { host }, agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => resolve());
    });
    await until(() => upstreamClosed && log.records.length > before);
    const mine = log.records.slice(before).filter((r) => r.requestPath === '/hang');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.failureReason).toBe('ClientAborted');
  });

  it('sends small segments at once (TCP_NODELAY): a response written in two parts is not held for an ACK', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('a'.repeat(100));
      setTimeout(() => res.end('b'.repeat(100)), 1);
    };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      await new Promise<void>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/two-parts', headers: { host }, agent }, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject);
      });
      times.push(performance.now() - t);
    }
    agent.destroy();
    times.sort((a, b) => a - b);
    // With Nagle's algorithm on the client's connection, the second part waits for the client's
    // delayed ACK: about 40 ms per response on Linux.
    expect(times[7]).toBeLessThan(25);
  });

  it('relays trailers of a chunked response', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' });
      res.write('body');
      res.addTrailers({ 'x-checksum': 'abc123' });
      res.end();
    };
    expect((await request(port, { host, path: '/trailers' })).trailers).toEqual({ 'x-checksum': 'abc123' });
  });

  it('passes over 1xx informational responses and relays the final one', async () => {
    handler = (_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' }, () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('final');
      });
    };
    const reply = await request(port, { host, path: '/hints' });
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 200, body: 'final' });
  });

  it('relays a target error status and its body unchanged', async () => {
    handler = (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end('{"busy":true}');
    };
    const reply = await request(port, { host, path: '/busy' });
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('1');
    expect(reply.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body).toBe('{"busy":true}');
  });
});

describe('HTTP/1.1 relay with one upstream connection per target', () => {
  it('never sends a request whose client left while it waited for a pooled connection', async () => {
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const upstream = await startUpstream((req, res) => {
      seen.push(req.url!);
      if (req.url === '/first') release = () => res.end('first');
      else res.end('other');
    });
    const snapshot = buildSnapshot({
      vpcs: [{ id: 'vpc-0client00000000001', addresses: ['127.0.0.1'] }],
      services: [{ name: 'files', forward: [['up', 1]] }],
      targetGroups: [{ id: 'up', port: upstream.port }],
    });
    const host = [...snapshot.services.values()][0]!.dnsName;
    const dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: createMemoryAccessLog(), ephemeralPorts: true, limits: { upstreamConnectionsPerTarget: 1 } });
    const port = dp.ports().get(PORT)!;
    try {
      const first = request(port, { host, path: '/first' });
      await until(() => seen.length === 1);
      // The only connection is busy: this one queues inside latticed, and its client gives up.
      const queued = http.get({ host: '127.0.0.1', port, path: '/queued', headers: { host }, agent: false });
      queued.on('error', () => undefined);
      await new Promise((r) => setTimeout(r, 100));
      queued.destroy();
      await new Promise((r) => setTimeout(r, 100));
      release();
      expect((await first).body).toBe('first');
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual(['/first']);
    } finally {
      await dp.close({ graceMs: 500 });
      upstream.server.closeAllConnections();
      upstream.server.close();
    }
  });
});
