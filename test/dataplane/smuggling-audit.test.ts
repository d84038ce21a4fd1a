/**
 * Request framing between client, latticed and target (smuggling, desync, body confusion). The
 * HTTP/1.1 target is a raw `net.Server` that records exactly the bytes latticed sends it, so a test
 * can see where the target would think each request ends.
 */
import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, PORT, until } from './fixture.js';

interface Conn {
  bytes: string;
  closed: boolean;
}

/** Records every connection's bytes; answers nothing (a test only looks at what arrived). */
function recordingTarget(): net.Server & { conns: Conn[] } {
  const conns: Conn[] = [];
  const server = net.createServer((s) => {
    const c: Conn = { bytes: '', closed: false };
    conns.push(c);
    s.on('data', (d) => (c.bytes += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => (c.closed = true));
  }) as net.Server & { conns: Conn[] };
  server.conns = conns;
  return server;
}

async function listen(server: net.Server | http2.Http2Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** HPACK literal fields without indexing, no Huffman (names and values under 127 bytes). */
function headerBlock(fields: [string, string][]): Buffer {
  return Buffer.concat(fields.map(([n, v]) => Buffer.concat([Buffer.from([0, n.length]), Buffer.from(n), Buffer.from([v.length]), Buffer.from(v)])));
}

/**
 * Over raw HTTP/2 frames (Node's own client sends END_STREAM before a RST_STREAM, so it cannot send
 * this): HEADERS and part of a POST body on stream 1, then RST_STREAM `code` without END_STREAM.
 */
async function cutUpload(port: number, host: string, path: string, code: number, extra: [string, string][] = []): Promise<void> {
  const sock = net.connect(port, '127.0.0.1');
  sock.on('error', () => undefined);
  sock.on('data', () => undefined);
  await new Promise((r) => sock.once('connect', r));
  const rst = Buffer.alloc(4);
  rst.writeUInt32BE(code);
  sock.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frame(4, 0, 0, Buffer.alloc(0))]));
  // END_HEADERS, no END_STREAM
  sock.write(frame(1, 4, 1, headerBlock([[':method', 'POST'], [':scheme', 'http'], [':path', path], [':authority', host], ...extra])));
  sock.write(frame(0, 0, 1, Buffer.from('partial-')));
  await new Promise((r) => setTimeout(r, 150));
  sock.write(frame(3, 0, 1, rst));
  await new Promise((r) => setTimeout(r, 150));
  sock.destroy();
}

describe('HTTP/2 client, request body reset before END_STREAM', () => {
  const target = recordingTarget();
  const events: string[] = [];
  const h2target = http2.createServer();
  h2target.on('stream', (stream) => {
    stream.on('data', () => undefined);
    stream.on('end', () => events.push('end'));
    stream.on('aborted', () => events.push('aborted'));
    stream.on('error', () => undefined);
    stream.on('close', () => events.push(`close:${stream.rstCode}`));
  });
  let dp: DataPlane;
  let port: number;
  let h1host: string;
  let h2host: string;

  beforeAll(async () => {
    const tp = await listen(target);
    const h2p = await listen(h2target);
    const snapshot = buildSnapshot({
      services: [
        { name: 'h1', forward: [['t1', 1]] },
        { name: 'h2', forward: [['t2', 1]] },
      ],
      targetGroups: [
        { id: 't1', port: tp },
        { id: 't2', port: h2p, protocolVersion: 'HTTP2' },
      ],
    });
    const by = Object.fromEntries([...snapshot.services.values()].map((s) => [s.name, s.dnsName]));
    [h1host, h2host] = [by.h1!, by.h2!];
    dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: createMemoryAccessLog(), ephemeralPorts: true });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 200 });
    target.close();
    h2target.close();
  });

  for (const [name, code] of [
    ['NO_ERROR', http2.constants.NGHTTP2_NO_ERROR],
    ['CANCEL', http2.constants.NGHTTP2_CANCEL],
  ] as const) {
    it(`(RST_STREAM ${name}) never reaches an HTTP/1.1 target as a complete chunked request`, async () => {
      const path = `/upload-${name}`;
      await cutUpload(port, h1host, path, code);
      await until(() => target.conns.some((c) => c.bytes.includes(`POST ${path} `)));
      const conn = target.conns.find((c) => c.bytes.includes(`POST ${path} `))!;
      // The upstream connection is closed mid-body, never given the last chunk.
      await until(() => conn.closed);
      expect(conn.bytes).toContain('transfer-encoding: chunked');
      expect(conn.bytes.slice(conn.bytes.indexOf('\r\n\r\n'))).toBe('\r\n\r\n8\r\npartial-');
    });

    it(`(RST_STREAM ${name}) never reaches an HTTP/2 target as a complete request`, async () => {
      events.length = 0;
      await cutUpload(port, h2host, '/upload', code);
      await until(() => events.some((e) => e.startsWith('close:')));
      // A RST_STREAM without END_STREAM: Node's server says 'aborted' first (and may emit 'end' after
      // it); END_STREAM then RST_STREAM (what Node's close() sends) would be 'end' first.
      expect(events[0]).toBe('aborted');
      expect(events).toContain(`close:${http2.constants.NGHTTP2_CANCEL}`);
    });
  }

  it('a body reset after its content-length was announced does not reach the target complete either', async () => {
    await cutUpload(port, h1host, '/upload-cl', http2.constants.NGHTTP2_NO_ERROR, [['content-length', '20']]);
    await until(() => target.conns.some((c) => c.bytes.includes('POST /upload-cl ')));
    const conn = target.conns.find((c) => c.bytes.includes('POST /upload-cl '))!;
    await until(() => conn.closed);
    expect(conn.bytes).toContain('content-length: 20\r\n');
    expect(conn.bytes.endsWith('partial-')).toBe(true);
  });
});
