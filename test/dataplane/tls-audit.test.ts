/**
 * TLS listener audit: SNI certificate choice (wildcards, case, trailing dot, client-chosen names
 * that must not grow a cache), the certificate of clients that send no SNI after a swap, and the
 * HTTP/1.1-over-TLS header timeout.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { startDataPlane } from '../../src/dataplane/index.js';
import { PortListener } from '../../src/dataplane/listeners.js';
import type { RequestHandler } from '../../src/dataplane/request-handler.js';
import type { ResolvedSettings } from '../../src/dataplane/options.js';
import type { PortBinding } from '../../src/network/snapshot.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { buildSnapshot, startEcho, until, type Echo } from './fixture.js';

type Pem = { cert: string; key: string };

function selfSigned(dir: string, cn: string, sans: string[]): Pem {
  const key = path.join(dir, `${cn}.key`);
  const cert = path.join(dir, `${cn}.crt`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${sans.map((s) => `DNS:${s}`).join(',')}`],
    { stdio: 'ignore' },
  );
  return { cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') };
}

const SETTINGS: ResolvedSettings = {
  limits: { maxHeaderBytes: 65536, maxHeaderCount: 200, maxRequestIdBytes: 512, upstreamConnectionsPerTarget: 8 } as ResolvedSettings['limits'],
  timeouts: { requestMs: 5000, headersMs: 2000, idleMs: 5000, upstreamConnectMs: 1000, upstreamResponseMs: 1000 } as ResolvedSettings['timeouts'],
  http1FastPath: true,
};

/** A handler that lets every connection in and answers nothing (these tests look at TLS only). */
const stubHandler = {
  gate: () => ({ refused: undefined }),
  handle: (_req: unknown, res: { end(): void }) => res.end(),
  inFlight: 0,
} as unknown as RequestHandler;

/** Made once, so that the client side does not count in the createSecureContext spy. */
const clientContext = tls.createSecureContext();

/** The CN of the certificate the listener presents for `servername` (undefined: no SNI sent). */
function presented(port: number, servername: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, secureContext: clientContext, ...(servername === undefined ? {} : { servername }) }, () => {
      const cn = sock.getPeerCertificate().subject?.CN;
      sock.destroy();
      resolve(String(cn));
    });
    sock.on('error', reject);
  });
}

describe('TLS listener audit', () => {
  let dir: string;
  let def: Pem, wild: Pem, deep: Pem, named: Pem;
  let echo: Echo;

  beforeAll(async () => {
    dir = tempDir('tls-audit');
    def = selfSigned(dir, 'default.test', ['default.test']);
    wild = selfSigned(dir, 'wild', ['*.example.com']);
    deep = selfSigned(dir, 'deep', ['*.b.example.com']);
    named = selfSigned(dir, 'named', ['inventory.example.internal']);
    echo = await startEcho();
  });
  afterAll(async () => {
    await echo.close();
  });

  async function listen(certificates: PortBinding['certificates']): Promise<PortListener> {
    const l = new PortListener(443, { port: 443, protocol: 'HTTPS', certificates }, stubHandler, SETTINGS);
    await l.listen('127.0.0.1', 0);
    return l;
  }

  it('a wildcard matches exactly one label; case and a trailing dot do not matter', async () => {
    const l = await listen([
      { serverNames: ['default.test'], ...def },
      { serverNames: ['*.example.com'], ...wild },
      { serverNames: ['*.b.example.com'], ...deep },
      { serverNames: ['inventory.example.internal'], ...named },
    ]);
    try {
      const p = (name: string) => presented(l.boundPort, name);
      expect(await p('a.example.com')).toBe('wild');
      expect(await p('A.Example.COM')).toBe('wild');
      expect(await p('a.example.com.')).toBe('wild');
      // Two labels: not *.example.com; *.b.example.com is the one that is valid.
      expect(await p('a.b.example.com')).toBe('deep');
      expect(await p('x.y.z.example.com')).toBe('default.test');
      expect(await p('example.com')).toBe('default.test');
      expect(await p('evilexample.com')).toBe('default.test');
      expect(await p('INVENTORY.example.internal.')).toBe('named');
    } finally {
      await l.close(0);
    }
  });

  it('client-chosen SNI names do not create (or cache) a secure context each', async () => {
    const l = await listen([
      { serverNames: ['default.test'], ...def },
      { serverNames: ['inventory.example.internal'], ...named },
    ]);
    const spy = vi.spyOn(tls, 'createSecureContext');
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 60; i++) {
        seen.add(await presented(l.boundPort, `r${i}-${Math.random().toString(36).slice(2)}.attacker.test`));
        seen.add(await presented(l.boundPort, i % 2 === 0 ? 'inventory.example.internal' : 'Inventory.Example.Internal'));
      }
      expect([...seen].sort()).toEqual(['default.test', 'named']);
      // One context per certificate, however many names clients make up.
      expect(spy.mock.calls.length).toBeLessThanOrEqual(2);
      // And the handshakes themselves still work.
      expect(await presented(l.boundPort, 'made-up.attacker.test')).toBe('default.test');
    } finally {
      spy.mockRestore();
      await l.close(0);
    }
  });

  it('after a swap that changes certificates, a client without SNI gets the new default certificate', async () => {
    const l = await listen([{ serverNames: ['default.test'], ...def }]);
    try {
      // 127.0.0.1 as the host: Node's client sends no SNI for an IP address.
      expect(await presented(l.boundPort, undefined)).toBe('default.test');
      l.update({ port: 443, protocol: 'HTTPS', certificates: [{ serverNames: ['inventory.example.internal'], ...named }] });
      expect(await presented(l.boundPort, undefined)).toBe('named');
      expect(await presented(l.boundPort, 'default.test')).toBe('named');
    } finally {
      await l.close(0);
    }
  });

  /** A full data plane with one HTTPS service on 443, and a raw HTTP/1.1-over-TLS exchange helper. */
  async function https1(options: Parameters<typeof startDataPlane>[0]['timeouts'], limits?: Parameters<typeof startDataPlane>[0]['limits']) {
    const snapshot = buildSnapshot({
      services: [{ name: 'inventory', customDomainName: 'inventory.example.internal', forward: [['a', 1]], ports: [443] }],
      targetGroups: [{ id: 'a', port: echo.port }],
      ports: [{ port: 443, protocol: 'HTTPS', certificates: [{ serverNames: ['inventory.example.internal'], ...named }] }],
    });
    const log = createMemoryAccessLog();
    const dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: log, ephemeralPorts: true, timeouts: options, ...(limits ? { limits } : {}) });
    const port = dp.ports().get(443)!;
    /** Writes `head`, then `drip(i)` every 100 ms; resolves with what came back when the server closed (or after 4.5 s). */
    const exchange = (head: string, drip?: (i: number) => string) =>
      new Promise<{ out: string; ms: number }>((resolve) => {
        const t0 = Date.now();
        const sock = tls.connect({ host: '127.0.0.1', port, servername: 'inventory.example.internal', rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
          sock.write(head);
          if (drip === undefined) return;
          let i = 0;
          const timer = setInterval(() => {
            if (sock.destroyed || i++ > 40) return clearInterval(timer);
            sock.write(drip(i));
          }, 100);
          sock.on('close', () => clearInterval(timer));
        });
        let out = '';
        sock.on('data', (c: Buffer) => (out += c.toString()));
        sock.on('close', () => resolve({ out, ms: Date.now() - t0 }));
        sock.on('error', () => undefined);
        setTimeout(() => sock.destroy(), 4500).unref();
      });
    return { dp, log, exchange };
  }

  it('HTTP/1.1 over TLS: headers dribbled slower than headersMs but faster than idleMs get 408', async () => {
    const { dp, log, exchange } = await https1({ headersMs: 500, requestMs: 1000, idleMs: 5000 });
    try {
      const { out, ms } = await exchange('GET / HTTP/1.1\r\nhost: inventory.example.internal\r\n', (i) => `x-${i}: y\r\n`);
      expect(ms).toBeLessThan(3000);
      expect(out).toMatch(/^HTTP\/1\.1 408 /);
      await until(() => log.records.length === 1);
      expect(log.records[0]).toMatchObject({ listenerType: 'HTTPS', responseCode: 408, failureReason: 'ClientTimeout' });
    } finally {
      await dp.close({ graceMs: 100 });
    }
  });

  it('HTTP/1.1 over TLS: a body dribbled past requestMs is cut with 408', async () => {
    const { dp, exchange } = await https1({ headersMs: 500, requestMs: 1000, idleMs: 5000 });
    try {
      const { out, ms } = await exchange('POST / HTTP/1.1\r\nhost: inventory.example.internal\r\ncontent-length: 100\r\n\r\n', () => 'x');
      expect(ms).toBeLessThan(3000);
      expect(out).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await dp.close({ graceMs: 100 });
    }
  });

  it('HTTP/1.1 over TLS: maxHeaderBytes applies as on plain HTTP ports', async () => {
    const { dp, log, exchange } = await https1({}, { maxHeaderBytes: 8192 });
    try {
      const { out } = await exchange(`GET / HTTP/1.1\r\nhost: inventory.example.internal\r\nconnection: close\r\nx-big: ${'a'.repeat(12_000)}\r\n\r\n`);
      expect(out).toMatch(/^HTTP\/1\.1 400 /);
      await until(() => log.records.length === 1);
      expect(log.records[0]).toMatchObject({ listenerType: 'HTTPS', failureReason: 'HeaderLimitExceeded' });
    } finally {
      await dp.close({ graceMs: 100 });
    }
  });

  it('a TCP client that never finishes the TLS handshake is cut after headersMs', async () => {
    const { dp } = await https1({ headersMs: 400 });
    const port = dp.ports().get(443)!;
    try {
      const t0 = Date.now();
      // Nothing at all, and half a ClientHello record header.
      const stall = (bytes: Buffer) =>
        new Promise<number>((resolve) => {
          const sock = net.connect(port, '127.0.0.1', () => sock.write(bytes));
          sock.on('error', () => undefined);
          sock.on('close', () => resolve(Date.now() - t0));
          setTimeout(() => sock.destroy(), 4000).unref();
        });
      const [a, b] = await Promise.all([stall(Buffer.alloc(0)), stall(Buffer.from([0x16, 0x03, 0x01, 0x02]))]);
      expect(a).toBeLessThan(2500);
      expect(b).toBeLessThan(2500);
    } finally {
      await dp.close({ graceMs: 100 });
    }
  });

  it('SNI for one service and Host for another: routed, logged and authorized as the Host\'s service', async () => {
    const snapshot = buildSnapshot({
      services: [
        { name: 'alpha', customDomainName: 'alpha.example.internal', forward: [['a', 1]], ports: [443] },
        {
          name: 'beta',
          customDomainName: 'beta.example.internal',
          authType: 'AWS_IAM',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] },
          forward: [['a', 1]],
          ports: [443],
        },
      ],
      targetGroups: [{ id: 'a', port: echo.port }],
      ports: [{ port: 443, protocol: 'HTTPS', certificates: [{ serverNames: ['alpha.example.internal'], ...def }, { serverNames: ['beta.example.internal'], ...named }] }],
    });
    const log = createMemoryAccessLog();
    const dp = await startDataPlane({ snapshot, credentials: () => undefined, accessLog: log, ephemeralPorts: true });
    const port = dp.ports().get(443)!;
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = https.request(
          { host: '127.0.0.1', port, servername: 'alpha.example.internal', path: '/', headers: { host: 'beta.example.internal' }, rejectUnauthorized: false, agent: false },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end();
      });
      // beta's policy (deny everything) decided, not alpha's (no auth).
      expect(status).toBe(403);
      await until(() => log.records.length === 1);
      const beta = [...snapshot.services.values()].find((s) => s.name === 'beta')!;
      expect(log.records[0]).toMatchObject({ serverNameIndication: 'alpha.example.internal', hostHeader: 'beta.example.internal', serviceArn: beta.arn });
    } finally {
      await dp.close({ graceMs: 100 });
    }
  });
});
