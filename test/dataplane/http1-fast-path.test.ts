/**
 * The HTTP/1.1 fast path against node:http, byte for byte where it matters: the same raw client
 * bytes go to a data plane with the fast path (the default) and to one without it, and the answers
 * (statuses, bodies, what the target saw, whether the connection stayed open) and the access-log
 * records must be the same.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, PORT, startEcho, until, type Echo } from './fixture.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `parts` (with a pause between them) and reads until the server closes or `ms` passes. */
function exchange(port: number, parts: string[], ms = 400, gapMs = 30): Promise<{ out: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const done = () => resolve({ out: Buffer.concat(chunks), closed });
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      closed = true;
      done();
    });
    sock.on('connect', async () => {
      for (const p of parts) {
        sock.write(p);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      setTimeout(() => {
        sock.destroy();
        done();
      }, ms);
    });
  });
}

/** The responses in a byte stream (content-length, chunked, or bodiless), headers lower-cased. */
function responses(out: Buffer, methods: string[]): Answer[] {
  const text = out.toString('latin1');
  const answers: Answer[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const [statusLine, ...lines] = text.slice(at, end).split('\r\n');
    const status = Number(statusLine!.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
    }
    at = end + 4;
    let body = '';
    const bodyless = methods[answers.length] === 'HEAD' || status === 204 || status === 304;
    if (bodyless) body = '';
    else if (headers['transfer-encoding'] === 'chunked') {
      for (;;) {
        const eol = text.indexOf('\r\n', at);
        const size = parseInt(text.slice(at, eol), 16);
        at = eol + 2;
        if (size === 0) {
          at = text.indexOf('\r\n', at) + 2;
          break;
        }
        body += text.slice(at, at + size);
        at += size + 2;
      }
    } else {
      const n = Number(headers['content-length'] ?? 0);
      body = text.slice(at, at + n);
      at += n;
    }
    answers.push({ status, headers, body });
  }
  return answers;
}

/** What must agree: status, the body (the echo's view of the request, minus per-request ids), framing kept by the client. */
function comparable(a: Answer): unknown {
  let body: unknown = a.body;
  try {
    const parsed = JSON.parse(a.body) as { headers?: Record<string, string> };
    if (parsed.headers) delete parsed.headers['x-amzn-requestid'];
    body = parsed;
  } catch {
    // Not JSON: compared as text.
  }
  return { status: a.status, body, type: a.headers['content-type'], errorType: a.headers['x-amzn-errortype'], length: a.headers['content-length'] !== undefined || a.headers['transfer-encoding'] !== undefined };
}

describe('HTTP/1.1 fast path: the same answers and records as node:http', () => {
  let echo: Echo;
  const planes: { dp: DataPlane; port: number; log: ReturnType<typeof createMemoryAccessLog> }[] = [];
  let host = '';

  beforeAll(async () => {
    echo = await startEcho();
    const snapshot = buildSnapshot({ services: [{ name: 'inventory', forward: [['echo', 1]] }], targetGroups: [{ id: 'echo', port: echo.port }] });
    host = [...snapshot.services.values()][0]!.dnsName;
    for (const http1FastPath of [true, false]) {
      const log = createMemoryAccessLog();
      const dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: log, ephemeralPorts: true, http1FastPath, timeouts: { headersMs: 400, requestMs: 800 } });
      planes.push({ dp, port: dp.ports().get(PORT)!, log });
    }
  });
  afterAll(async () => {
    for (const p of planes) await p.dp.close({ graceMs: 100 });
    await echo.close();
  });

  const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nhost: ${'HOST'}\r\n${extra}\r\n`;
  const cases: { name: string; parts: () => string[]; methods?: string[]; ms?: number }[] = [
    { name: 'one GET', parts: () => [get('/api/one')] },
    { name: 'three pipelined GETs in one write', parts: () => [get('/p/1') + get('/p/2') + get('/p/3')] },
    {
      name: 'a POST with a body between GETs (node:http takes over mid-connection)',
      parts: () => [get('/before') + `POST /body HTTP/1.1\r\nhost: HOST\r\ncontent-length: 5\r\n\r\nhello` + get('/after')],
    },
    { name: 'HEAD', parts: () => [`HEAD /head HTTP/1.1\r\nhost: HOST\r\n\r\n`], methods: ['HEAD'] },
    { name: 'HEAD then GET', parts: () => [`HEAD /h HTTP/1.1\r\nhost: HOST\r\n\r\n` + get('/g')], methods: ['HEAD', 'GET'] },
    { name: '204 and 304 from the target', parts: () => [get('/status/204') + get('/status/304') + get('/status/503')] },
    { name: 'a head split over several writes', parts: () => ['GET /spl', 'it HTTP/1.1\r\nho', 'st: HOST\r\nx-a: 1\r', '\n\r\n'] },
    { name: 'blank lines before the request line', parts: () => ['\r\n' + get('/blank')] },
    { name: 'no Host', parts: () => ['GET /nohost HTTP/1.1\r\nx-a: 1\r\n\r\n'] },
    { name: 'repeated header names', parts: () => [get('/dup', 'x-a: 1\r\nx-a: 2\r\naccept: a\r\naccept: b\r\n')] },
    { name: 'more than 32 header lines', parts: () => [get('/many', Array.from({ length: 40 }, (_, i) => `x-h${i}: ${i}\r\n`).join(''))] },
    { name: 'too many header lines for the limit', parts: () => [get('/toomany', Array.from({ length: 60 }, (_, i) => `x-h${i}: ${i}\r\n`).join(''))] },
    { name: 'Connection: close', parts: () => [get('/close', 'connection: close\r\n') + get('/never')] },
    { name: 'HTTP/1.0', parts: () => ['GET /ten HTTP/1.0\r\nhost: HOST\r\n\r\n'] },
    { name: 'Expect: 100-continue with a body', parts: () => ['POST /expect HTTP/1.1\r\nhost: HOST\r\nexpect: 100-continue\r\ncontent-length: 2\r\n\r\n', 'ok'] },
    { name: 'bare LF line ends', parts: () => ['GET /lf HTTP/1.1\nhost: HOST\n\n'] },
    { name: 'a bare LF inside, CRLF at the end', parts: () => ['GET /lf2 HTTP/1.1\nhost: HOST\r\n\r\n'] },
    { name: 'garbage', parts: () => ['NOT HTTP AT ALL\r\n\r\n'] },
    // (Garbage pipelined behind a request differs by design: failures.test.ts.)
    { name: 'content-length: 0', parts: () => [get('/zero', 'content-length: 0\r\n')] },
    { name: 'a chunked body', parts: () => ['POST /chunked HTTP/1.1\r\nhost: HOST\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' + get('/next')] },
    { name: 'content-length and transfer-encoding together', parts: () => ['POST /both HTTP/1.1\r\nhost: HOST\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n'] },
    { name: 'an absolute-form target', parts: () => [get('http://evil.example/x')] },
    { name: 'a lower-case method', parts: () => ['get /lower HTTP/1.1\r\nhost: HOST\r\n\r\n'] },
    { name: 'a 12 KB header', parts: () => [get('/big', `x-big: ${'b'.repeat(12_000)}\r\n`)] },
    { name: 'a head larger than maxHeaderBytes', parts: () => [get('/huge', `x-big: ${'b'.repeat(20_000)}\r\n`)] },
    { name: 'a head never finished (headers timeout)', parts: () => ['GET /slowloris HTTP/1.1\r\nhost: HOST\r\n'], ms: 1200 },
    { name: 'Upgrade', parts: () => [get('/ws', 'connection: upgrade\r\nupgrade: websocket\r\n')] },
    { name: 'a path with dot segments', parts: () => [get('/api/stock/../admin')] },
    { name: 'an x-amzn-lattice-identity from the client', parts: () => [get('/spoof', 'x-amzn-lattice-identity: Principal=arn:aws:iam::1:role/admin\r\n')] },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const seen = [];
      for (const p of planes) {
        const before = p.log.records.length;
        const parts = c.parts().map((x) => x.replaceAll('HOST', host));
        const { out, closed } = await exchange(p.port, parts, c.ms);
        const methods = c.methods ?? [];
        await until(() => p.log.records.length > before, 1500).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 50));
        const mine = p.log.records.slice(before);
        const records = mine.map((r) => [r.requestMethod, r.requestPath, r.protocol, r.responseCode, r.failureReason]);
        seen.push({ answers: responses(out, methods).map(comparable), closed, records: records.sort() });
        // node:http counts a pipelined response's bytes into the record before it; the fast path
        // writes one response at a time, so each answered request has its own.
        if (p === planes[0]) for (const r of mine) if (r.failureReason === '-') expect(r.bytesSent).toBeGreaterThan(0);
      }
      expect(seen[0]).toEqual(seen[1]);
    });
  }

  it('answers 300 pipelined requests in order, sent at once or cut at random points', async () => {
    const fast = planes[0]!;
    const all = Array.from({ length: 300 }, (_, i) => get(`/pipe/${i}`).replaceAll('HOST', host)).join('');
    for (const cuts of [[], [7, 1000, 1001, 5000, all.length - 3]]) {
      const parts: string[] = [];
      let from = 0;
      for (const c of cuts) {
        parts.push(all.slice(from, c));
        from = c;
      }
      parts.push(all.slice(from));
      const { out } = await exchange(fast.port, parts, 1500, 5);
      const urls = responses(out, []).map((a) => (JSON.parse(a.body) as { url: string }).url);
      expect(urls).toEqual(Array.from({ length: 300 }, (_, i) => `/pipe/${i}`));
    }
  });

  it('keeps the connection open between requests, and closes it after idleMs', async () => {
    const fast = planes[0]!;
    const idle = await startDataPlane({
      snapshot: buildSnapshot({ services: [{ name: 'inventory', forward: [['echo', 1]] }], targetGroups: [{ id: 'echo', port: echo.port }] }),
      credentials: () => undefined,
      accessLog: fast.log,
      ephemeralPorts: true,
      timeouts: { idleMs: 300 },
    });
    const { out, closed } = await exchange(idle.ports().get(PORT)!, [get('/a').replaceAll('HOST', host), get('/b').replaceAll('HOST', host)], 800, 100);
    expect(responses(out, []).map((a) => a.status)).toEqual([200, 200]);
    expect(closed).toBe(true);
    await idle.close({ graceMs: 100 });
  });
});
