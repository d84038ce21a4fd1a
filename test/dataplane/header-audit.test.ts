/**
 * Header and host handling under hostile input: client-sent identity headers in every spelling and
 * place (case, `_` for `-`, Connection-listed, trailers, HTTP/2), the service a Host/:authority picks
 * versus the host the target is told, framing conflicts, and the x-amzn-requestid echo.
 */
import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataPlane, type DataPlane } from '../../src/dataplane/index.js';
import { identityTagsHeader } from '../../src/dataplane/identity-headers.js';
import { hostKey } from '../../src/dataplane/request-handler.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, startEcho, type Echo, PORT } from './fixture.js';

/** Raw bytes in, everything the server sends until it closes (requests say `connection: close`). */
function exchange(port: number, data: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    const done = () => resolve(out);
    sock.on('data', (c) => (out += c.toString('latin1')));
    sock.on('error', done);
    sock.on('close', done);
    sock.on('connect', () => sock.write(Buffer.from(data, 'latin1')));
    setTimeout(() => sock.destroy(), 1500);
  });
}

const statusOf = (out: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1]);

describe('header and host audit', () => {
  let echo: Echo;
  let dp: DataPlane;
  let port: number;
  let h2: http2.ClientHttp2Session;
  let alpha: string;
  let beta: string;
  let locked: string;
  const log = createMemoryAccessLog();

  beforeAll(async () => {
    echo = await startEcho();
    const snapshot = buildSnapshot({
      services: [
        { name: 'alpha', forward: [['echo', 1]] },
        { name: 'beta', forward: [['echo', 1]] },
        {
          name: 'locked',
          authType: 'AWS_IAM',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] },
          forward: [['echo', 1]],
        },
      ],
      targetGroups: [{ id: 'echo', port: echo.port }],
    });
    const byName = Object.fromEntries([...snapshot.services.values()].map((s) => [s.name, s.dnsName]));
    [alpha, beta, locked] = [byName.alpha!, byName.beta!, byName.locked!];
    dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: log, ephemeralPorts: true });
    port = dp.ports().get(PORT)!;
    h2 = http2.connect(`http://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    h2.close();
    await dp.close({ graceMs: 200 });
    await echo.close();
  });

  /** The one request the upstream saw while `fn` ran (or none). */
  async function seen(fn: () => Promise<unknown>): Promise<Echo['requests']> {
    const before = echo.requests.length;
    await fn();
    return echo.requests.slice(before);
  }

  function h2send(headers: http2.OutgoingHttpHeaders, opts: { body?: string; trailers?: http2.OutgoingHttpHeaders } = {}): Promise<{ status: number; headers: http2.IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      const st = h2.request(headers, { endStream: opts.body === undefined, waitForTrailers: opts.trailers !== undefined });
      if (opts.trailers) st.on('wantTrailers', () => st.sendTrailers(opts.trailers!));
      let head: http2.IncomingHttpHeaders = {};
      st.on('response', (h) => (head = h));
      st.on('data', () => undefined);
      st.on('end', () => resolve({ status: Number(head[':status']), headers: head }));
      st.on('error', reject);
      if (opts.body !== undefined) st.end(opts.body);
    });
  }

  const leaked = (headers: Record<string, unknown>) =>
    Object.entries(headers).filter(([k, v]) => /^x[-_]amzn[-_]lattice[-_]/i.test(k) && String(v).includes('evil'));

  describe('client-sent identity headers never reach the target', () => {
    it('in `_` spellings, which CGI-style targets read as the real header (HTTP/1.1)', async () => {
      const reqs = await seen(async () => {
        const out = await exchange(
          port,
          `GET /u HTTP/1.1\r\nhost: ${locked}\r\nx_amzn_lattice_identity: Principal=evil\r\nX_Amzn_Lattice_Identity_Tags: principal=evil\r\n` +
            `x-amzn_lattice-network: SourceVpcArn=evil\r\nx_forwarded_for: 6.6.6.6\r\nconnection: close\r\n\r\n`,
        );
        expect(statusOf(out)).toBe(200);
      });
      expect(reqs).toHaveLength(1);
      const h = reqs[0]!.headers;
      expect(leaked(h)).toEqual([]);
      expect(h['x_forwarded_for']).toBeUndefined();
      expect(h['x-amzn-lattice-identity']).toBe('Type=Anonymous');
    });

    it('in `_` spellings over HTTP/2', async () => {
      const reqs = await seen(async () => {
        const r = await h2send({ ':method': 'GET', ':path': '/u2', ':authority': locked, x_amzn_lattice_identity_tags: 'principal=evil', 'x-amzn-lattice_target': 'evil' });
        expect(r.status).toBe(200);
      });
      expect(reqs).toHaveLength(1);
      expect(leaked(reqs[0]!.headers)).toEqual([]);
    });

    it('in any case, repeated, and when the Connection header names them (latticed adds its own after filtering)', async () => {
      const reqs = await seen(async () => {
        const out = await exchange(
          port,
          `GET /c HTTP/1.1\r\nhost: ${locked}\r\nX-AMZN-LATTICE-IDENTITY: evil\r\nx-amzn-lattice-identity: evil\r\nX-Amzn-Lattice-Target: evil\r\n` +
            `connection: x-amzn-lattice-identity, x-amzn-lattice-network, x-forwarded-for, x-amzn-requestid, host\r\nconnection: close\r\n\r\n`,
        );
        expect(statusOf(out)).toBe(200);
      });
      const h = reqs[0]!.headers;
      expect(leaked(h)).toEqual([]);
      expect(h['x-amzn-lattice-identity']).toBe('Type=Anonymous');
      expect(h['x-amzn-lattice-network']).toMatch(/^SourceVpcArn=arn:aws:ec2:/);
      expect(h['x-forwarded-for']).toBe('127.0.0.1');
      expect(h.host).toBe(locked);
    });

    it('in HTTP/1.1 chunked trailers or HTTP/2 trailers (trailers are not relayed upstream)', async () => {
      const reqs = await seen(async () => {
        const out = await exchange(
          port,
          `POST /t HTTP/1.1\r\nhost: ${locked}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n3\r\nabc\r\n0\r\nx-amzn-lattice-identity: evil\r\n\r\n`,
        );
        expect(statusOf(out)).toBe(200);
        const r = await h2send({ ':method': 'POST', ':path': '/t2', ':authority': locked }, { body: 'abc', trailers: { 'x-amzn-lattice-identity': 'evil' } });
        expect(r.status).toBe(200);
      });
      expect(reqs).toHaveLength(2);
      for (const r of reqs) {
        expect(r.body).toBe('abc');
        expect(leaked(r.headers)).toEqual([]);
      }
    });

    it('folded into another header (obs-fold is refused)', async () => {
      const reqs = await seen(async () => {
        const out = await exchange(port, `GET /f HTTP/1.1\r\nhost: ${locked}\r\nx-foo: a\r\n x-amzn-lattice-identity: evil\r\nconnection: close\r\n\r\n`);
        expect(statusOf(out)).toBe(400);
      });
      expect(reqs).toHaveLength(0);
    });
  });

  describe('the service chosen is the host the target is told', () => {
    it('refuses a Host that only starts like a service name (userinfo, spaces, junk port)', async () => {
      const bad = [`${alpha}:@${beta}`, `${alpha}: ${beta}`, `${alpha}:80@${beta}`, `${alpha}:80x`, `${alpha}:123456`, `[::1]${alpha}`, `${alpha},${beta}`];
      const reqs = await seen(async () => {
        for (const h of bad) {
          const out = await exchange(port, `GET /h HTTP/1.1\r\nhost: ${h}\r\nconnection: close\r\n\r\n`);
          expect(statusOf(out), h).toBe(400);
          expect(out).toContain('BadRequestException');
        }
      });
      expect(reqs).toHaveLength(0);
    });

    it('refuses such an :authority over HTTP/2', async () => {
      const reqs = await seen(async () => {
        const r = await h2send({ ':method': 'GET', ':path': '/a', ':authority': `${alpha}:@${beta}` });
        expect(r.status).toBe(400);
      });
      expect(reqs).toHaveLength(0);
    });

    it('still routes the usual spellings: port, trailing dot, upper case', async () => {
      const reqs = await seen(async () => {
        for (const h of [`${alpha}:80`, `${alpha}.`, alpha.toUpperCase(), `${alpha}.:80`]) {
          const out = await exchange(port, `GET /ok HTTP/1.1\r\nhost: ${h}\r\nconnection: close\r\n\r\n`);
          expect(statusOf(out), h).toBe(200);
        }
      });
      expect(reqs.map((r) => r.headers['x-amzn-lattice-target'])).toEqual(Array(4).fill(reqs[0]!.headers['x-amzn-lattice-target']));
      expect(String(reqs[0]!.headers['x-amzn-lattice-target'])).toContain('svc-alpha');
    });

    it('HTTP/2: a method outside the HTTP/1.1 parser\'s list (lower-case `delete`, `FOO`) is 400 and reaches no target', async () => {
      const reqs = await seen(async () => {
        for (const m of ['delete', 'Get', 'FOO']) expect((await h2send({ ':method': m, ':path': '/m', ':authority': alpha })).status, m).toBe(400);
        expect((await h2send({ ':method': 'DELETE', ':path': '/m', ':authority': alpha })).status).toBe(200);
      });
      expect(reqs.map((r) => r.method)).toEqual(['DELETE']);
    });

    it('HTTP/2 with :authority and a different host: the target is told the :authority', async () => {
      const reqs = await seen(async () => {
        const r = await h2send({ ':method': 'GET', ':path': '/two', ':authority': alpha, host: beta });
        expect(r.status).toBe(200);
      });
      expect(reqs[0]!.headers.host).toBe(alpha);
      expect(String(reqs[0]!.headers['x-amzn-lattice-target'])).toContain('svc-alpha');
    });

    it('an absolute-form target naming another authority is refused', async () => {
      const out = await exchange(port, `GET http://${beta}/x HTTP/1.1\r\nhost: ${alpha}\r\nconnection: close\r\n\r\n`);
      expect(statusOf(out)).toBe(400);
    });
  });

  it('refuses Content-Length with Transfer-Encoding (no desync on the pooled connection)', async () => {
    const reqs = await seen(async () => {
      const out = await exchange(port, `POST /s HTTP/1.1\r\nhost: ${alpha}\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nhost: ${alpha}\r\n\r\n`);
      expect(statusOf(out)).toBe(400);
    });
    expect(reqs).toHaveLength(0);
  });

  it('never answers an empty x-amzn-requestid (a client id that truncates to nothing gets a UUID)', async () => {
    const out = await exchange(port, `GET /r HTTP/1.1\r\nhost: ${alpha}\r\nx-amzn-requestid: ${'\x80'.repeat(600)}\r\nconnection: close\r\n\r\n`);
    expect(statusOf(out)).toBe(200);
    expect(/\r\nx-amzn-requestid: ([^\r]*)\r\n/.exec(out)?.[1]).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('units', () => {
    it('hostKey accepts host[:port] only', () => {
      expect(hostKey('Svc.Example.:8080')).toBe('svc.example');
      expect(hostKey('svc.example:')).toBe('svc.example');
      expect(hostKey('[::1]:80')).toBe('[::1]');
      for (const h of ['a.svc:@b.svc', 'a.svc: b', 'a.svc:8o', 'a b', '[::1]x', '[::1', ':80', 'a.svc:1234567', 'a%2esvc']) expect(hostKey(h), h).toBeUndefined();
    });

    it('identity tags cannot forge the principal or principalorgid fields, nor end a key early', () => {
      const h = identityTagsHeader({
        arn: 'arn:aws:sts::123456789012:assumed-role/r/s',
        type: 'AssumedRole',
        account: '123456789012',
        orgId: 'o-real',
        tags: { Principal: 'arn:aws:iam::123456789012:role/admin', principalorgid: 'o-evil', 'principal=arn:aws:iam::1:role/x': 'y', team: 'a' },
        userId: 'AROA:s',
        sessionName: 's',
        identityPolicies: [],
      });
      expect(h).toBe('principal=arn:aws:sts::123456789012:assumed-role/r/s;principalorgid=o-real;principal\\=arn:aws:iam::1:role/x=y;team=a');
    });

    it('identity tags with any Unicode letter (IAM allows them) are sent as UTF-8 bytes, never unsendable', () => {
      const h = identityTagsHeader({
        arn: 'arn:aws:sts::123456789012:assumed-role/r/s',
        type: 'AssumedRole',
        account: '123456789012',
        tags: { team: '日本', city: 'Zürich' },
        userId: 'AROA:s',
        sessionName: 's',
        identityPolicies: [],
      });
      expect([...h].every((c) => c.charCodeAt(0) <= 0xff)).toBe(true);
      expect(Buffer.from(h, 'latin1').toString('utf8')).toBe('principal=arn:aws:sts::123456789012:assumed-role/r/s;team=日本;city=Zürich');
    });
  });
});

describe('HTTP/1.1 framing of hosts and hop-by-hop response headers', () => {
  let upstream: net.Server;
  let dp: DataPlane;
  let port: number;
  let host: string;
  let forwarded = 0;
  const log = createMemoryAccessLog();

  beforeAll(async () => {
    // A target whose Connection header names its own hop-by-hop field (RFC 9110 §7.6.1).
    upstream = net.createServer((sock) => {
      sock.on('data', () => {
        forwarded++;
        sock.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: x-hop, keep-alive\r\nx-hop: secret\r\nx-kept: 1\r\n\r\nok');
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const snapshot = buildSnapshot({
      services: [{ name: 'alpha', forward: [['raw', 1]] }, { name: 'beta', forward: [['raw', 1]] }],
      targetGroups: [{ id: 'raw', port: (upstream.address() as net.AddressInfo).port }],
    });
    host = [...snapshot.services.values()].find((s) => s.name === 'alpha')!.dnsName;
    dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: log, ephemeralPorts: true });
    port = dp.ports().get(PORT)!;
  });

  afterAll(async () => {
    await dp.close({ graceMs: 200 });
    await new Promise((r) => upstream.close(r));
  });

  it('a request with two Host lines is 400 and reaches no target (RFC 9112 §3.2)', async () => {
    const before = forwarded;
    const out = await exchange(port, `GET /x HTTP/1.1\r\nHost: ${host}\r\nHOST: evil.example\r\nconnection: close\r\n\r\n`);
    expect(statusOf(out)).toBe(400);
    expect(out).toContain('BadRequestException');
    expect(forwarded).toBe(before);
    expect(log.records.at(-1)).toMatchObject({ responseCode: 400, failureReason: 'MalformedRequest' });
  });

  it("the target's Connection-listed response headers are not relayed", async () => {
    const out = await exchange(port, `GET /x HTTP/1.1\r\nHost: ${host}\r\nconnection: close\r\n\r\n`);
    expect(statusOf(out)).toBe(200);
    const head = out.slice(0, out.indexOf('\r\n\r\n')).toLowerCase();
    expect(head).toContain('x-kept: 1');
    expect(head).not.toContain('x-hop');
  });
});
