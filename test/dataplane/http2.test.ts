import http2 from 'node:http2';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, request, startEcho, startH2Echo, until, type Echo, PORT } from './fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const def = protoLoader.loadSync(path.join(here, 'echo.proto'), { keepCase: true });
const proto = grpc.loadPackageDefinition(def) as unknown as { echo: { Echo: grpc.ServiceClientConstructor } };

interface H2Reply {
  status: number;
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders;
  body: string;
}

function h2request(port: number, authority: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<H2Reply> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request({ ':path': p, ':authority': authority, ':method': body === undefined ? 'GET' : 'POST', ...headers }, { endStream: body === undefined });
    let reply: Partial<H2Reply> = { trailers: {} };
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (reply = { ...reply, status: Number(h[':status']), headers: h }));
    stream.on('trailers', (t) => (reply.trailers = t));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      session.close();
      resolve({ ...(reply as H2Reply), body: Buffer.concat(chunks).toString() });
    });
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

describe('HTTP/2, h2c and gRPC', () => {
  let h1: Echo, h2: Echo;
  let grpcServer: grpc.Server;
  let grpcPort: number;
  let dp: DataPlane;
  let port: number;
  let host: string;
  let grpcHost: string;
  const log = createMemoryAccessLog();

  beforeAll(async () => {
    [h1, h2] = await Promise.all([startEcho('h1'), startH2Echo()]);
    grpcServer = new grpc.Server();
    grpcServer.addService(proto.echo.Echo.service, {
      Say: (call: grpc.ServerUnaryCall<{ text: string }, unknown>, cb: grpc.sendUnaryData<unknown>) =>
        cb(null, { text: call.request.text, identity: String(call.metadata.get('x-amzn-lattice-identity')[0] ?? '') }),
      Many: (call: grpc.ServerWritableStream<{ text: string }, unknown>) => {
        for (let i = 0; i < 3; i++) call.write({ text: `${call.request.text}-${i}` });
        call.end();
      },
      Fail: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb({ code: grpc.status.FAILED_PRECONDITION, details: 'no stock' }),
    });
    grpcPort = await new Promise<number>((resolve, reject) =>
      grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    const snapshot = buildSnapshot({
      services: [
        { name: 'web', forward: [['h1', 1]], rules: [{ pathPrefix: '/h2', action: { targetGroups: [['h2', 1]] } }] },
        { name: 'rpc', forward: [['grpc', 1]] },
      ],
      targetGroups: [
        { id: 'h1', port: h1.port },
        { id: 'h2', port: h2.port, protocolVersion: 'HTTP2' },
        { id: 'grpc', port: grpcPort, protocolVersion: 'GRPC' },
      ],
    });
    const svcs = [...snapshot.services.values()];
    host = svcs[0]!.dnsName;
    grpcHost = svcs[1]!.dnsName;
    dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: log, ephemeralPorts: true });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 500 });
    grpcServer.forceShutdown();
    await Promise.all([h1.close(), h2.close()]);
  });

  it('serves h2c (prior knowledge) and HTTP/1.1 on the same port', async () => {
    const r = await h2request(port, host, '/plain', { 'x-amzn-lattice-identity': 'spoof' });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.name).toBe('h1');
    expect(body.headers.host).toBe(host);
    expect(body.headers['x-amzn-lattice-identity']).toBeUndefined();
    expect(r.headers['x-amzn-requestid']).toBeDefined();
    expect((await request(port, { host })).status).toBe(200);
  });

  it('forwards h2c to an HTTP2 target group with bodies and trailers', async () => {
    const r = await h2request(port, host, '/h2/x?y=1', { te: 'trailers' }, 'payload');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ path: '/h2/x?y=1', body: 'payload' });
    expect(r.trailers['x-trailer']).toBe('kept');
    const seen = h2.requests.at(-1)!;
    expect(seen.headers[':authority']).toBe(host);
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-amzn-lattice-target']).toMatch(/^ServiceArn=/);
  });

  it('forwards HTTP/1.1 clients to an HTTP2 target group', async () => {
    const r = await request(port, { host, path: '/h2/from-h1', method: 'POST', body: 'abc' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ path: '/h2/from-h1', body: 'abc' });
  });

  it('carries gRPC unary, server-streaming and error statuses end to end', async () => {
    const client = new proto.echo.Echo(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.default_authority': grpcHost });
    type Unary = (req: object, cb: (err: grpc.ServiceError | null, reply?: { text: string; identity: string }) => void) => void;
    const say = (client as unknown as Record<string, Unary>).Say!.bind(client);
    const fail = (client as unknown as Record<string, Unary>).Fail!.bind(client);
    const reply = await new Promise<{ text: string; identity: string }>((resolve, reject) => say({ text: 'hi' }, (e, r) => (e ? reject(e) : resolve(r!))));
    expect(reply.text).toBe('hi');
    const err = await new Promise<grpc.ServiceError>((resolve) => fail({ text: 'x' }, (e) => resolve(e!)));
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toBe('no stock');
    const many = (client as unknown as Record<string, (req: object) => grpc.ClientReadableStream<{ text: string }>>).Many!.call(client, { text: 'm' });
    const texts: string[] = [];
    await new Promise<void>((resolve, reject) => {
      many.on('data', (m) => texts.push(m.text));
      many.on('end', () => resolve());
      many.on('error', reject);
    });
    expect(texts).toEqual(['m-0', 'm-1', 'm-2']);
    client.close();
    await until(() => log.records.some((r) => r.requestPath === '/echo.Echo/Fail'));
    const rec = log.records.find((r) => r.requestPath === '/echo.Echo/Fail')!;
    expect(rec.protocol).toBe('HTTP/2.0');
    expect(rec.grpcResponseCode).toBe(grpc.status.FAILED_PRECONDITION);
    // A streamed reply has no content-length: its bytes are counted as they are relayed, three
    // length-prefixed messages of `m-N` (5 + 5 bytes each, with the identity field empty).
    await until(() => log.records.some((r) => r.requestPath === '/echo.Echo/Many'));
    const streamed = log.records.find((r) => r.requestPath === '/echo.Echo/Many')!;
    expect(streamed.bytesSent).toBe(3 * (5 + 5));
    expect(streamed.bytesReceived).toBe(5 + 3); // one request message: `m`
  });

  it('logs the body bytes of HTTP/2 requests and responses, whatever the target speaks', async () => {
    const body = 'x'.repeat(70_000); // more than one DATA frame, and no content-length
    const before = log.records.length;
    const toH1 = await h2request(port, host, '/bytes-h1', {}, body);
    const toH2 = await h2request(port, host, '/h2/bytes', {}, body);
    const denied = await h2request(port, 'nowhere.example', '/bytes-404', {}, body);
    expect([toH1.status, toH2.status, denied.status]).toEqual([200, 200, 404]);
    await until(() => log.records.length >= before + 3);
    const byPath = (p: string) => log.records.slice(before).find((r) => r.requestPath === p)!;
    expect(byPath('/bytes-h1')).toMatchObject({ bytesReceived: body.length, bytesSent: Buffer.byteLength(toH1.body) });
    expect(byPath('/h2/bytes')).toMatchObject({ bytesReceived: body.length, bytesSent: Buffer.byteLength(toH2.body) });
    expect(byPath('/bytes-404')).toMatchObject({ bytesReceived: 0, bytesSent: Buffer.byteLength(denied.body) });
  });

  it('survives a client that resets its stream, and logs it once', async () => {
    const before = log.records.length;
    await new Promise<void>((resolve) => {
      const session = http2.connect(`http://127.0.0.1:${port}`);
      session.on('error', () => undefined);
      const stream = session.request({ ':path': '/slow/reset', ':authority': host });
      stream.on('error', () => undefined);
      setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        setTimeout(() => { session.destroy(); resolve(); }, 50);
      }, 50);
    });
    await new Promise((r) => setTimeout(r, 500));
    const mine = log.records.slice(before).filter((r) => r.requestPath === '/slow/reset');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.failureReason).toBe('ClientAborted');
    expect((await h2request(port, host, '/after')).status).toBe(200);
  });

  it('survives HTTP/2 garbage after the preface', async () => {
    const net = await import('node:net');
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.alloc(64, 0xff)])));
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      setTimeout(() => { s.destroy(); resolve(); }, 500);
    });
    expect((await h2request(port, host, '/still-up')).status).toBe(200);
  });
});
