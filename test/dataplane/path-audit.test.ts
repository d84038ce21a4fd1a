/**
 * Path audit: the path a policy authorizes is the path a target acts on, including targets that read
 * paths differently from RFC 3986 (Tomcat, Jetty, Spring: `;` path parameters stripped from each
 * segment before dot segments are resolved).
 */
import http2 from 'node:http2';
import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startDataPlane } from '../../src/dataplane/index.js';
import { normalizeTarget, type NormalizedTarget } from '../../src/dataplane/normalize-path.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { echoPlane, PORT } from './fixture.js';

/** With node.allowPathParameters (the default refuses every `;` in a path). */
function norm(raw: string, allowParameters = true): NormalizedTarget | string {
  const out: NormalizedTarget = { path: '', query: '' };
  return normalizeTarget(raw, out, { allowParameters }) ?? out;
}

/** Path parameters (`;…` up to the next `/`) removed from every segment. */
function stripParams(path: string): string {
  return path.split('/').map((seg) => (seg.indexOf(';') >= 0 ? seg.slice(0, seg.indexOf(';')) : seg)).join('/');
}

/**
 * How a servlet container reads a path: path parameters (`;…` up to the next `/`) removed from
 * every segment, then `//` merged and dot segments resolved. Undefined when it climbs above the root.
 */
function servletView(path: string): string | undefined {
  const merged = stripParams(path).replace(/\/{2,}/g, '/');
  const out: string[] = [];
  const segs = merged.split('/');
  for (let i = 1; i < segs.length; i++) {
    const s = segs[i]!;
    const last = i === segs.length - 1;
    if (s === '.') {
      if (last) out.push('');
    } else if (s === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      if (last) out.push('');
    } else out.push(s);
  }
  return '/' + out.join('/');
}

describe('normalizeTarget: path parameters, by default', () => {
  it('refuses `;` and `%3B` anywhere in the path (a servlet container reads /api;v=1/admin as /api/admin)', () => {
    for (const p of ['/api;v=1/admin', '/api/stock;x', '/api/stock%3Bx', '/api/stock%3bx', '/api/stock/..;/admin', '/;jsessionid=1']) {
      expect(norm(p, false), p).toBe('PathParameters');
    }
    expect(normalizeTarget('/api;v=1/admin', { path: '', query: '' })).toBe('PathParameters');
  });

  it('refuses an encoded NUL in the query (PHP ends a key there)', () => {
    expect(norm('/api/stock?admin%00x=true', false)).toBe('NulByte');
    expect(norm('/api/stock?a=%000', false)).toBe('NulByte');
    expect(norm('/api/stock?a=%01&b=%20', false)).toEqual({ path: '/api/stock', query: '?a=%01&b=%20' });
  });

  it('leaves `;` in the query alone', () => {
    expect(norm('/api/stock?a;b=1', false)).toEqual({ path: '/api/stock', query: '?a;b=1' });
  });
});

describe('normalizeTarget with allowPathParameters: path parameters on dot and empty segments', () => {
  it('rejects `..;` and `.;` (a servlet container reads them as `..` and `.`)', () => {
    expect(norm('/api/stock/..;/admin')).toBe('DotSegmentParams');
    expect(norm('/api/stock/..;x=1/admin')).toBe('DotSegmentParams');
    expect(norm('/api/stock/.;/../admin')).toBe('DotSegmentParams');
    expect(norm('/api/stock/%2e%2e;/admin')).toBe('DotSegmentParams');
    expect(norm('/api/stock/.%2E;jsessionid=1/admin')).toBe('DotSegmentParams');
    // Encoded ';' too: some targets decode before they strip parameters.
    expect(norm('/api/stock/..%3b/admin')).toBe('DotSegmentParams');
    expect(norm('/api/stock/%2e%2e%3B/admin')).toBe('DotSegmentParams');
  });

  it('rejects parameters on an empty segment (`/;x/..` is `//..` to a servlet container)', () => {
    expect(norm('/api/stock/;/../admin')).toBe('DotSegmentParams');
    expect(norm('/api/stock//;x/../admin')).toBe('DotSegmentParams');
    expect(norm('/;jsessionid=1')).toBe('DotSegmentParams');
  });

  it('keeps parameters on ordinary segments, and ordinary dots', () => {
    expect(norm('/api/stock;v=1/items')).toEqual({ path: '/api/stock;v=1/items', query: '' });
    expect(norm('/api/stock/item;jsessionid=abc')).toEqual({ path: '/api/stock/item;jsessionid=abc', query: '' });
    expect(norm('/api/stock/...;x/a')).toEqual({ path: '/api/stock/...;x/a', query: '' });
    expect(norm('/api/stock/a.;b')).toEqual({ path: '/api/stock/a.;b', query: '' });
    expect(norm('/api/stock;x/../admin')).toEqual({ path: '/api/admin', query: '' });
    expect(norm('/api/stock?;/..;/x')).toEqual({ path: '/api/stock', query: '?;/..;/x' });
  });

  it('property: whatever passes, a servlet container reads below the same prefix latticed authorized', () => {
    const piece = fc.constantFrom('/', '.', '..', ';', '%3B', '%2e', 'a', 'stock', '//', 'x=1', '%41');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const r = norm('/api/stock/' + pieces.join(''));
        if (typeof r === 'string') return;
        const seen = servletView(r.path);
        expect(seen).toBeDefined();
        // The servlet's path is the authorized one with its parameters removed: same segments, same depth.
        expect(seen).toBe(stripParams(r.path));
      }),
      { numRuns: 3000, seed: 42 },
    );
  });
});

/** Sends one raw HTTP/1.1 request; resolves with the status code. */
function rawStatus(port: number, target: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    sock.on('data', (c) => {
      out += c.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(out);
      if (m && out.includes('\r\n\r\n')) {
        sock.destroy();
        resolve(Number(m[1]));
      }
    });
    sock.on('error', reject);
    sock.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0)));
    sock.on('connect', () => sock.write(Buffer.from(`GET ${target} HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\n\r\n`, 'latin1')));
  });
}

describe('data plane: only GET /api/stock* is allowed', () => {
  const plane = echoPlane((echoPort) => ({
    services: [
      {
        name: 'inventory',
        authType: 'AWS_IAM',
        policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: '*',
              Action: 'vpc-lattice-svcs:Invoke',
              Resource: '*',
              Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET' }, StringLike: { 'vpc-lattice-svcs:RequestPath': '/api/stock*' } },
            },
          ],
        },
        forward: [['echo', 1]],
      },
    ],
    targetGroups: [{ id: 'echo', port: echoPort }],
  }));
  const host = () => [...plane.snapshot.services.values()][0]!.dnsName;

  it('HTTP/1.1: `..;` tricks are 400 and never reach the target', async () => {
    const before = plane.echo.requests.length;
    for (const t of ['/api/stock/..;/admin', '/api/stock/.;/../admin', '/api/stock/%2e%2e;/admin', '/api/stock/..%3B/admin', '/api/stock/;/../admin']) {
      expect(await rawStatus(plane.port, t, host()), t).toBe(400);
    }
    expect(plane.echo.requests.length).toBe(before);
  });

  it('HTTP/1.1: every target the policy allows reaches the target below /api/stock, as authorized', async () => {
    const targets = [
      '/api/stock', '/api/stock?x=/../admin', '/api/stock/%2e/x', '//api//stock/', '/api/%73tock/a', '/api/stock/a/..',
      '/api/stock/%7Ea', '/api/stock/%41?b=%2F', '/api/stock/%c3%a9',
    ];
    for (const t of targets) {
      const before = plane.echo.requests.length;
      expect(await rawStatus(plane.port, t, host()), t).toBe(200);
      const got = plane.echo.requests[before]!.url;
      const path = got.split('?')[0]!;
      expect(servletView(path)!.startsWith('/api/stock'), `${t} -> ${got}`).toBe(true);
      expect(path.startsWith('/api/stock')).toBe(true);
    }
  });

  it('a path parameter is 400 by default and reaches no target', async () => {
    const before = plane.echo.requests.length;
    for (const t of ['/api/stock;v=1', '/api;v=1/stock', '/api/stock%3Bv=1']) expect(await rawStatus(plane.port, t, host()), t).toBe(400);
    expect(plane.echo.requests.length).toBe(before);
    expect(plane.log.records.at(-1)).toMatchObject({ responseCode: 400, failureReason: 'InvalidPath' });
  });

  it('with allowPathParameters, a parameter on an ordinary segment is authorized and forwarded as sent', async () => {
    const open = await startDataPlane({ snapshot: { ...plane.snapshot, settings: { ...plane.snapshot.settings, allowPathParameters: true } }, credentials: () => undefined, accessLog: createMemoryAccessLog(), ephemeralPorts: true });
    try {
      const p = open.ports().get(PORT)!;
      const before = plane.echo.requests.length;
      expect(await rawStatus(p, '/api/stock;v=1', host())).toBe(200);
      expect(plane.echo.requests[before]!.url).toBe('/api/stock;v=1');
      expect(await rawStatus(p, '/api/stock/..;/admin', host())).toBe(400);
      // A reload that turns it off applies to the next request.
      open.swap({ ...plane.snapshot, revision: 2, hash: 'hash-2' });
      await open.settled();
      expect(await rawStatus(p, '/api/stock;v=1', host())).toBe(400);
    } finally {
      await open.close({ graceMs: 200 });
    }
  });

  it('HTTP/2: `..;` tricks in :path are 400 and never reach the target', async () => {
    const session = http2.connect(`http://127.0.0.1:${plane.port}`);
    try {
      const before = plane.echo.requests.length;
      for (const p of ['/api/stock/..;/admin', '/api/stock/.;/../admin', '/api/stock/;/../admin']) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = session.request({ ':path': p, ':authority': host() });
          req.on('response', (h) => resolve(Number(h[':status'])));
          req.on('error', reject);
          req.resume();
          req.end();
        });
        expect(status, p).toBe(400);
      }
      expect(plane.echo.requests.length).toBe(before);
    } finally {
      session.close();
    }
  });
});

describe('data plane: what the target receives is what was authorized (authType NONE, every request forwarded)', () => {
  const plane = echoPlane((echoPort) => ({ services: [{ name: 'open', forward: [['echo', 1]] }], targetGroups: [{ id: 'echo', port: echoPort }] }));
  const host = () => [...plane.snapshot.services.values()][0]!.dnsName;

  const rejected = [
    'http://evil.example/api/stock', '*', '/api/stock\t/x', '/api/stock\x0b', '/api/stock\x80', '/api/stock\xff/..', '/api/stock/%c0%ae%c0%ae/x',
    '/api/stock/%2f', '/api/stock/%5c..', '/api/stock/..%00/x', '/api/stock#/../admin', '/api/stock?#', '/../api/stock', '/api/stock/%', '/api/stock;a=b/c;d',
  ];
  it('HTTP/1.1: ambiguous targets are 400 and reach no target', async () => {
    const before = plane.echo.requests.length;
    for (const t of rejected) expect(await rawStatus(plane.port, t, host()), JSON.stringify(t)).toBe(400);
    expect(plane.echo.requests.length).toBe(before);
  });

  const forwarded: [string, string][] = [
    ['/api/stock/%2e%2e/admin', '/api/admin'],
    ['/api/stock/%252e%252e/admin', '/api/stock/%252e%252e/admin'],
    ['/api//stock/./a/../b?q=/../x', '/api/stock/b?q=/../x'],
    ['/api/stock%3f/../admin', '/api/admin'],
    ['/%61pi/%7estock/%e2%80%8b', '/api/~stock/%E2%80%8B'],
  ];
  it('HTTP/1.1 and HTTP/2: the target receives the normalised path, and the log records it', async () => {
    for (const [t, want] of forwarded) {
      const before = plane.echo.requests.length;
      expect(await rawStatus(plane.port, t, host()), t).toBe(200);
      expect(plane.echo.requests[before]!.url, t).toBe(want);
    }
    const session = http2.connect(`http://127.0.0.1:${plane.port}`);
    try {
      for (const [t, want] of forwarded) {
        const before = plane.echo.requests.length;
        const status = await new Promise<number>((resolve, reject) => {
          const req = session.request({ ':path': t, ':authority': host() });
          req.on('response', (h) => resolve(Number(h[':status'])));
          req.on('error', reject);
          req.resume();
          req.end();
        });
        expect(status, t).toBe(200);
        expect(plane.echo.requests[before]!.url, t).toBe(want);
      }
      for (const t of ['/api/stock/..;/admin', '/api/stock/%2f', '/api/stock#x', '/api/stock\x7f', '*', 'api/stock']) {
        const status = await new Promise<number>((resolve) => {
          const req = session.request({ ':path': t, ':authority': host() });
          req.on('response', (h) => resolve(Number(h[':status'])));
          req.on('error', () => resolve(0));
          req.resume();
          req.end();
        });
        expect([400, 0], JSON.stringify(t)).toContain(status);
      }
    } finally {
      session.close();
    }
  });
});
