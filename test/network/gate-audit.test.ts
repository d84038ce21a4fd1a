/**
 * Audit of the L3/L4 gate: source address -> VPC -> the association's security groups, through the
 * real snapshot builder and data plane (dual-stack listener, nested VPC CIDRs, HTTP/2 re-gate).
 */
import http from 'node:http';
import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot, parseCidr, type LatticedConfig } from '../../src/network/index.js';
import { compileIngress } from '../../src/network/security-groups.js';
import { startDataPlane } from '../../src/dataplane/index.js';
import { createMemoryAccessLog } from '../../src/observability/index.js';
import { startEcho, until, type Echo } from '../dataplane/fixture.js';
import { ENV, issuesAfter, validConfig } from './helpers.js';

describe('CIDR blocks with an IPv6 zone id', () => {
  it('are rejected with a message, never thrown on, never silently stripped', () => {
    // node:net's isIPv6 accepts a zone; parsing it as a hex group used to throw (BigInt(NaN)) or drop it.
    for (const s of ['fe80::%eth0/64', 'fe80::%1/64', '::ffff:127.0.1.0%x/120', 'fe80::1%eth0/128', 'fe80::1%1/128']) {
      expect(typeof parseCidr(s), s).toBe('string');
    }
  });

  it('in cidrBlocks, ipv6Ranges and members are configuration issues with a path', () => {
    expect(issuesAfter((c) => (c.vpcs[1].cidrBlocks = ['fe80::%eth0/64']))).toEqual([
      '$.vpcs[1].cidrBlocks[0]: "fe80::%eth0/64" has a zone id (%…); a CIDR block cannot name an interface',
    ]);
    expect(issuesAfter((c) => (c.vpcs[1].cidrBlocks = ['fe80::1%eth0/128']))).toHaveLength(1);
    expect(
      issuesAfter((c) => (c.securityGroups[0].ipPermissions[0].ipv6Ranges = [{ cidrIpv6: '::ffff:127.0.1.0%lo/120' }])),
    ).toEqual(['$.securityGroups[0].ipPermissions[0].ipv6Ranges[0].cidrIpv6: "::ffff:127.0.1.0%lo/120" has a zone id (%…); a CIDR block cannot name an interface']);
    expect(issuesAfter((c) => (c.securityGroups[0].members = ['fe80::%1/64']))).toHaveLength(1);
  });
});

describe('security-group edges', () => {
  const sg = (ipPermissions: NonNullable<LatticedConfig['securityGroups']>[number]['ipPermissions']) =>
    new Map([['sg-00000001', { groupId: 'sg-00000001', vpcId: 'vpc-00000001', ipPermissions }]]);

  it('/0, /32 and /128 sources, and IPv4-mapped sources counted as IPv4 only', () => {
    const allows = compileIngress(['sg-00000001'], sg([
      { ipProtocol: 'tcp', fromPort: 1, toPort: 1, ipRanges: [{ cidrIp: '0.0.0.0/0' }] },
      { ipProtocol: 'tcp', fromPort: 2, toPort: 2, ipRanges: [{ cidrIp: '10.0.0.1/32' }] },
      { ipProtocol: 'tcp', fromPort: 3, toPort: 3, ipv6Ranges: [{ cidrIpv6: '::/0' }] },
      { ipProtocol: 'tcp', fromPort: 4, toPort: 4, ipv6Ranges: [{ cidrIpv6: 'fd00::1/128' }] },
    ]));
    expect(allows('255.255.255.255', 1)).toBe(true);
    expect(allows('::ffff:10.0.0.1', 2)).toBe(true);
    expect(allows('10.0.0.2', 2)).toBe(false);
    // ::/0 is "all IPv6": not the IPv4 addresses a dual-stack socket reports as ::ffff:a.b.c.d.
    expect(allows('::ffff:10.0.0.1', 3)).toBe(false);
    expect(allows('10.0.0.1', 3)).toBe(false);
    expect(allows('fd00::1', 3)).toBe(true);
    expect(allows('fd00::1%eth0', 4)).toBe(true);
    expect(allows('fd00::2', 4)).toBe(false);
  });

  it('protocols: only tcp, 6 and -1 allow; -1 ignores its ports; the range is inclusive up to 65535', () => {
    const allows = compileIngress(['sg-00000001'], sg([
      { ipProtocol: 'udp', fromPort: 0, toPort: 65535, ipRanges: [{ cidrIp: '10.0.0.0/8' }] },
      { ipProtocol: '17', fromPort: 0, toPort: 65535, ipRanges: [{ cidrIp: '10.0.0.0/8' }] },
      { ipProtocol: 'icmp', fromPort: -1, toPort: -1, ipRanges: [{ cidrIp: '10.0.0.0/8' }] },
      { ipProtocol: '6', fromPort: 65535, toPort: 65535, ipRanges: [{ cidrIp: '10.1.0.0/16' }] },
      { ipProtocol: '-1', fromPort: 80, toPort: 80, ipRanges: [{ cidrIp: '10.2.0.0/16' }] },
    ]));
    expect(allows('10.0.0.1', 80)).toBe(false);
    expect(allows('10.1.0.1', 65535)).toBe(true);
    expect(allows('10.1.0.1', 65534)).toBe(false);
    expect(allows('10.2.0.1', 443)).toBe(true);
  });

  it('inverted, negative and missing tcp port ranges are configuration errors', () => {
    const rule = (p: object) => issuesAfter((c) => Object.assign(c.securityGroups[0].ipPermissions[0], p));
    expect(rule({ fromPort: 9000, toPort: 8000 })).toHaveLength(1);
    expect(rule({ fromPort: -1, toPort: -1 })).toHaveLength(2);
    expect(rule({ fromPort: undefined })).toHaveLength(1);
  });
});

describe('the gate through the data plane', () => {
  let echo: Echo;
  beforeAll(async () => {
    echo = await startEcho();
  });
  afterAll(async () => {
    await echo.close();
  });

  /** The documented example, without auth, on a dual-stack listener, with a nested unassociated VPC. */
  function config(sgPort: number): LatticedConfig {
    const c = validConfig();
    c.services![0]!.authType = 'NONE';
    delete c.services![0]!.authPolicy;
    c.serviceNetworks![0]!.authType = 'NONE';
    for (const tg of c.targetGroups!) {
      tg.config.port = echo.port;
      for (const t of tg.targets ?? []) t.port = echo.port;
    }
    c.vpcs!.push({ vpcId: 'vpc-0c0c0c0c', ownerId: '123456789012', cidrBlocks: ['127.0.1.128/25'] });
    const rule = c.securityGroups![0]!.ipPermissions![0]!;
    rule.fromPort = sgPort;
    rule.toPort = sgPort;
    c.node!.listenAddress = '::';
    return c;
  }

  it('maps ::ffff: sources to IPv4 VPCs, lets the most specific CIDR win, and re-gates HTTP/2 sessions', async () => {
    const snap = await buildSnapshot(config(8080), { revision: 1, baseDir: '/tmp', env: ENV });
    const log = createMemoryAccessLog();
    const dp = await startDataPlane({ snapshot: snap, credentials: () => undefined, accessLog: log, ephemeralPorts: true, listenAddress: '::', healthChecks: false });
    const port = dp.ports().get(8080)!;
    const host = [...snap.services.values()][0]!.dnsName;
    const get = (localAddress: string) =>
      new Promise<number | string>((resolve) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/', localAddress, headers: { host }, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', (e) => resolve(e.message));
        req.end();
      });
    try {
      expect(await get('127.0.1.5')).toBe(200);
      expect(typeof (await get('127.0.1.200'))).toBe('string'); // nested /25: its own, unassociated VPC
      expect(typeof (await get('127.0.2.5'))).toBe('string');
      expect(typeof (await get('127.0.3.5'))).toBe('string');
      const byIp = (ip: string) => log.records.find((r) => r.sourceIpPort.startsWith(`${ip}:`));
      expect(byIp('127.0.1.5')).toMatchObject({ sourceVpcId: 'vpc-0a1b2c3d', responseCode: 200 });
      expect(byIp('127.0.1.200')).toMatchObject({ sourceVpcId: 'vpc-0c0c0c0c', failureReason: 'VpcNotAssociated' });
      expect(byIp('127.0.2.5')).toMatchObject({ sourceVpcId: 'vpc-0e5f6a7b', failureReason: 'VpcNotAssociated' });
      expect(byIp('127.0.3.5')).toMatchObject({ failureReason: 'UnknownSourceVpc' });

      const session = http2.connect(`http://127.0.0.1:${port}`, { localAddress: '127.0.1.6' } as http2.ClientSessionOptions);
      session.on('error', () => undefined);
      const h2get = () =>
        new Promise<string>((resolve) => {
          const st = session.request({ ':path': '/', ':authority': host });
          st.on('response', (h) => {
            st.resume();
            st.on('end', () => resolve(String(h[':status'])));
          });
          st.on('error', () => resolve('error'));
          st.on('close', () => resolve('closed'));
          st.end();
        });
      expect(await h2get()).toBe('200');
      dp.swap(await buildSnapshot(config(8081), { revision: 2, baseDir: '/tmp', env: ENV }));
      expect(await h2get()).not.toBe('200');
      await until(() => log.records.some((r) => r.sourceIpPort.startsWith('127.0.1.6:') && r.failureReason === 'SecurityGroupDenied'));
      // Only the two admitted requests reached the target (health checks aside).
      expect(echo.requests.filter((r) => r.headers['x-forwarded-for'] !== undefined).map((r) => r.headers['x-forwarded-for'])).toEqual(['127.0.1.5', '127.0.1.6']);
      session.destroy();
    } finally {
      await dp.close({ graceMs: 200 });
    }
  });
});
