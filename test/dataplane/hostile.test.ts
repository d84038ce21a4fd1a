/**
 * Property: nothing a client sends yields a 500 or takes the data plane down. Random request lines,
 * targets and headers (within HTTP/1.1's byte alphabet) go to NONE and AWS_IAM services.
 */
import http2 from 'node:http2';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, request, startEcho, type Echo, PORT } from './fixture.js';

/** Sends raw bytes; returns the first response head, or (`all`) everything until the server closes. */
function exchange(port: number, data: string, all = false): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    const done = () => resolve(out);
    sock.on('data', (c) => {
      out += c.toString('latin1');
      if (!all && /\r\n\r\n/.test(out)) sock.destroy();
    });
    sock.on('error', done);
    sock.on('close', done);
    sock.on('connect', () => sock.write(Buffer.from(data, 'latin1')));
    setTimeout(() => sock.destroy(), all ? 3000 : 1500);
  });
}

describe('hostile HTTP/1.1 input', () => {
  let echo: Echo;
  let dp: DataPlane;
  let port: number;
  let hosts: string[];
  const log = createMemoryAccessLog();

  beforeAll(async () => {
    echo = await startEcho();
    const snapshot = buildSnapshot({
      services: [
        { name: 'open', forward: [['echo', 1]] },
        {
          name: 'locked',
          authType: 'AWS_IAM',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] },
          forward: [['echo', 1]],
        },
      ],
      targetGroups: [{ id: 'echo', port: echo.port }],
    });
    hosts = [...snapshot.services.values()].map((s) => s.dnsName);
    dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: log, ephemeralPorts: true });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 200 });
    await echo.close();
  });

  it('never answers 500 and keeps serving', async () => {
    const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
    const pathChar = fc.constantFrom('/', '.', '%', '2', 'e', 'E', 'f', 'F', '5', 'c', '0', 'a', '?', '&', '=', '#', '\\', ';', '~', 'é', '\u0000', ' ');
    const target = fc.array(pathChar, { maxLength: 24 }).map((cs) => '/' + cs.join(''));
    const headerValue = fc.string({ maxLength: 40 }).map((v) => v.replace(/[\r\n]/g, ''));
    const header = fc.tuple(fc.oneof(token, fc.constantFrom('authorization', 'x-amz-date', 'x-amzn-lattice-identity', 'content-length', 'transfer-encoding', 'x-amzn-requestid', 'host', 'expect', 'connection')), headerValue);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'FOO', 'CONNECT'),
        target,
        fc.constantFrom(...hosts, 'unknown', ''),
        fc.array(header, { maxLength: 6 }),
        // Pipelined behind it: nothing, another request, a CONNECT, or bytes that do not parse.
        fc.constantFrom('', `GET / HTTP/1.1\r\nhost: ${hosts[0]}\r\n\r\n`, `CONNECT ${hosts[0]}:443 HTTP/1.1\r\nhost: ${hosts[0]}\r\n\r\n`, 'NOT HTTP\r\n\r\n'),
        async (method, path, host, headers, next) => {
          const lines = [`${method} ${path} HTTP/1.1`, `host: ${host}`, ...headers.map(([k, v]) => `${k}: ${v}`), ...(next === '' ? ['connection: close'] : []), '', ''];
          const out = await exchange(port, lines.join('\r\n') + next);
          const status = /^HTTP\/1\.[01] (\d{3})/.exec(out)?.[1];
          expect(status).not.toBe('500');
        },
      ),
      { numRuns: 150 },
    );
    expect((await request(port, { host: hosts[0]! })).status).toBe(200);
  });

  it('HTTP/2: random paths, authorities, methods and headers never get a 500', async () => {
    let session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    let answered = 0;
    let wellFramed = 0;
    const pathChar = fc.constantFrom('/', '.', '%', '2', 'e', 'f', 'F', '0', 'a', '?', '&', '=', '\\', '~', 'é', ' ', '#');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'HEAD', 'DELETE', 'X'),
        fc.array(pathChar, { maxLength: 20 }).map((cs) => '/' + cs.join('')),
        fc.constantFrom(...hosts, 'unknown', 'UPPER.' + hosts[0]),
        fc.array(
          fc.oneof(
            fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.string({ maxLength: 30 }).map((v) => v.replace(/[\r\n\0]/g, ''))),
            // A length that may disagree with the body (nghttp2 then resets the stream), an Expect.
            fc.tuple(fc.constant('content-length'), fc.nat(60).map(String)),
            fc.tuple(fc.constant('expect'), fc.constantFrom('100-continue', 'something-else')),
          ),
          { maxLength: 5 },
        ),
        fc.option(fc.string({ maxLength: 50 })),
        async (method, path, authority, headers, body) => {
          if (session.destroyed || session.closed) {
            session = http2.connect(`http://127.0.0.1:${port}`);
            session.on('error', () => undefined);
          }
          const extra = Object.fromEntries(headers.filter(([k]) => !['connection', 'te', 'upgrade', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'host'].includes(k)));
          const length = extra['content-length'];
          const framed = length === undefined || Number(length) === Buffer.byteLength(body ?? '');
          const status = await new Promise<number>((resolve) => {
            let req: http2.ClientHttp2Stream;
            try {
              req = session.request({ ':method': method, ':path': path, ':authority': authority, ...extra }, { endStream: body === null });
            } catch {
              resolve(0); // the client refused to send it
              return;
            }
            req.on('response', (h) => resolve(Number(h[':status'])));
            req.on('error', () => resolve(-1));
            req.on('close', () => resolve(-1));
            req.resume();
            if (body !== null) req.end(body);
          });
          expect(status).not.toBe(500);
          // A body that disagrees with its content-length is reset, not answered.
          if (framed) {
            wellFramed++;
            if (status > 0) answered++;
          }
        },
      ),
      { numRuns: 150 },
    );
    session.close();
    // The property is not vacuous: most well-framed requests got an HTTP answer.
    expect(wellFramed).toBeGreaterThan(50);
    expect(answered).toBeGreaterThan(wellFramed * 0.6);
    expect((await request(port, { host: hosts[0]! })).status).toBe(200);
  });

  it('CONNECT, over HTTP/1.1 and HTTP/2, gets a 400 and its one access-log record', async () => {
    const before = log.records.length;
    const out = await exchange(port, `CONNECT ${hosts[0]}:443 HTTP/1.1\r\nhost: ${hosts[0]}\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 400 /);
    expect(out).toContain('"__type":"BadRequestException"');
    expect(out.toLowerCase()).toContain('connection: close');

    // Pipelined behind a request still waiting for its target: answered in its turn, after it.
    const piped = await exchange(port, `GET /first HTTP/1.1\r\nhost: ${hosts[0]}\r\n\r\nCONNECT ${hosts[0]}:443 HTTP/1.1\r\nhost: ${hosts[0]}\r\n\r\n`, true);
    expect([...piped.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1])).toEqual(['200', '400']);

    const session = http2.connect(`http://127.0.0.1:${port}`);
    const h2 = await new Promise<{ status: number; type: unknown }>((resolve, reject) => {
      const req = session.request({ ':method': 'CONNECT', ':authority': hosts[1]! });
      req.on('response', (h) => resolve({ status: Number(h[':status']), type: h['x-amzn-errortype'] }));
      req.on('error', reject);
      req.resume();
    });
    session.close();
    expect(h2).toEqual({ status: 400, type: 'BadRequestException' });

    // Only this test's records: the property tests above may still be closing streams.
    const mine = () => log.records.slice(before).filter((r) => r.requestMethod === 'CONNECT' || r.requestPath === '/first');
    await expect.poll(() => mine().length).toBe(4);
    const records = mine();
    expect(records.map((r) => [r.requestMethod, r.protocol, r.responseCode, r.failureReason])).toEqual([
      ['CONNECT', 'HTTP/1.1', 400, 'InvalidPath'],
      ['GET', 'HTTP/1.1', 200, '-'],
      ['CONNECT', 'HTTP/1.1', 400, 'InvalidPath'],
      ['CONNECT', 'HTTP/2.0', 400, 'InvalidPath'],
    ]);
  });

  it('a CONNECT whose client leaves while it waits behind a response is logged with its own method and target', async () => {
    const before = log.records.length;
    const sock = net.connect(port, '127.0.0.1');
    sock.on('error', () => undefined);
    await new Promise<void>((resolve) => sock.on('connect', () => resolve()));
    // /slow keeps the first response pending long enough for the client to leave before the CONNECT's turn.
    sock.write(`GET /slow/abandoned HTTP/1.1\r\nhost: ${hosts[0]}\r\n\r\nCONNECT ${hosts[0]}:443 HTTP/1.1\r\nhost: ${hosts[0]}\r\n\r\n`);
    await new Promise((r) => setTimeout(r, 100));
    sock.destroy();
    const mine = () => log.records.slice(before).filter((r) => r.requestMethod === 'CONNECT' || r.requestPath === '/slow/abandoned');
    await expect.poll(() => mine().length).toBe(2);
    expect(mine().map((r) => [r.requestMethod, r.requestPath, r.protocol, r.responseCode, r.failureReason])).toEqual([
      ['GET', '/slow/abandoned', 'HTTP/1.1', '-', 'ClientAborted'],
      ['CONNECT', `${hosts[0]}:443`, 'HTTP/1.1', '-', 'ClientAborted'],
    ]);
  });

  it('HTTP/2: a body that disagrees with its content-length is refused, logged once, and takes nothing down', async () => {
    const before = log.records.length;
    const send = (contentLength: string, body: string, extra: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const session = http2.connect(`http://127.0.0.1:${port}`);
        session.on('error', () => undefined);
        const req = session.request({ ':method': 'POST', ':path': '/cl', ':authority': hosts[0]!, 'content-length': contentLength, ...extra });
        req.on('error', () => undefined);
        req.on('close', () => {
          session.close();
          resolve(req.rstCode);
        });
        req.resume();
        req.end(body);
      });
    // Longer than declared (nghttp2 resets the stream before its request event, detached from its
    // session: this used to crash the process), then shorter.
    expect(await send('2', 'abcdef')).toBe(http2.constants.NGHTTP2_PROTOCOL_ERROR);
    expect(await send('10', 'abc')).toBe(http2.constants.NGHTTP2_PROTOCOL_ERROR);
    // The same with `expect: 100-continue`: Node's own 100 on the reset stream threw out of its emitter.
    expect(await send('2', 'abcdef', { expect: '100-continue' })).toBe(http2.constants.NGHTTP2_PROTOCOL_ERROR);
    expect((await request(port, { host: hosts[0]! })).status).toBe(200);
    await expect.poll(() => log.records.slice(before).filter((r) => r.requestPath === '/cl').length).toBe(3);
    expect(log.records.slice(before).filter((r) => r.requestPath === '/cl').map((r) => [r.protocol, r.failureReason])).toEqual([
      ['HTTP/2.0', 'MalformedRequest'],
      ['HTTP/2.0', 'MalformedRequest'],
      ['HTTP/2.0', 'MalformedRequest'],
    ]);
  });
});
