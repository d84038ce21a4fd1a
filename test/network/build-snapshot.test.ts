import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.js';
import { buildSnapshot, ConfigError, configHash, HEALTH_CHECK_DEFAULTS, type LatticedConfig } from '../../src/network/index.js';
import { ENV, FIXTURES, SECRET, validConfig } from './helpers.js';

const build = (c: LatticedConfig, env: NodeJS.ProcessEnv = ENV, baseDir = FIXTURES) => buildSnapshot(c, { revision: 7, baseDir, env });

async function buildError(c: LatticedConfig, env: NodeJS.ProcessEnv = ENV, baseDir = FIXTURES): Promise<ConfigError> {
  try {
    await build(c, env, baseDir);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

function selfSigned(dir: string, name: string, cn: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', `/CN=${cn}`, '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
  return { certFile, keyFile };
}

describe('buildSnapshot', () => {
  it('compiles the example: routes by port then host, only for associated services', async () => {
    const c = validConfig();
    c.services![0]!.customDomainName = 'Inventory.Example.Internal';
    c.serviceNetworks![0]!.serviceAssociations = [{ serviceIdentifier: 'inventory-service' }];
    const s = await build(c);
    expect(s.revision).toBe(7);
    expect(s.region).toBe('us-west-2');
    const inv = [...s.services.values()].find((x) => x.name === 'inventory-service')!;
    const sn = [...s.serviceNetworks.values()][0]!;
    expect([...sn.routes.keys()]).toEqual([8080]);
    expect([...sn.routes.get(8080)!.keys()]).toEqual([inv.dnsName, 'inventory.example.internal']);
    expect(sn.routes.get(8080)!.get('inventory.example.internal')).toBe(inv);
    expect(inv.customDomainName).toBe('inventory.example.internal');
    expect(inv.authType).toBe('AWS_IAM');
    expect(inv.policy).toBeDefined();
    expect(sn.authType).toBe('AWS_IAM');
    expect(sn.policy).toBeDefined();
    const order = [...s.services.values()].find((x) => x.name === 'order-service')!;
    expect(order.authType).toBe('NONE');
    expect(order.policy).toBeUndefined();
    expect(s.ports.get(8080)).toEqual({ port: 8080, protocol: 'HTTP', certificates: [] });
  });

  it('maps source addresses to VPCs and their association', async () => {
    const s = await build(validConfig());
    const shop = s.vpcForAddress('127.0.1.20')!;
    expect(shop.id).toBe('vpc-0a1b2c3d');
    expect(shop.arn).toBe('arn:aws:ec2:us-west-2:123456789012:vpc/vpc-0a1b2c3d');
    expect(shop.ownerAccount).toBe('123456789012');
    expect(shop.association!.serviceNetwork.name).toBe('shop');
    expect(shop.association!.securityGroupIds).toEqual(['sg-0a1b2c3d']);
    expect(shop.association!.allowsIngress('127.0.1.20', 8080)).toBe(true);
    expect(shop.association!.allowsIngress('127.0.1.20', 8081)).toBe(false);
    const unassociated = s.vpcForAddress('::ffff:127.0.2.1')!;
    expect(unassociated.id).toBe('vpc-0e5f6a7b');
    expect(unassociated.association).toBeUndefined();
    expect(s.vpcForAddress('127.0.3.1')).toBeUndefined();
  });

  it('forwards to target groups with weights (one group defaults to 100, weight 0 takes no traffic)', async () => {
    const c = validConfig();
    (c.services![0]!.listeners![0]!.defaultAction as any).forward.targetGroups = [
      { targetGroupIdentifier: 'inventory-tg', weight: 3 },
      { targetGroupIdentifier: 'order-tg', weight: 0 },
    ];
    const s = await build(c);
    const inv = [...s.services.values()].find((x) => x.name === 'inventory-service')!;
    const route = inv.listeners.get(8080)!.match('GET', '/', {});
    expect(route.ruleArn).toBeUndefined();
    if (route.action.type !== 'forward') throw new Error('forward expected');
    expect(route.action.targetGroups.map((g) => [g.targetGroup.name, g.weight])).toEqual([['inventory-tg', 3]]);
    expect(route.action.totalWeight).toBe(3);
    const order = [...s.services.values()].find((x) => x.name === 'order-service')!;
    const r2 = order.listeners.get(8080)!.match('GET', '/', {});
    expect(r2.action).toMatchObject({ type: 'forward', totalWeight: 100 });
  });

  it('fills in Lattice\'s health-check defaults and target addresses', async () => {
    const c = validConfig();
    c.targetGroups![1]!.config.protocolVersion = 'GRPC';
    c.targetGroups![1]!.config.healthCheck = { healthCheckIntervalSeconds: 0, path: '/healthz', port: 9100 };
    const s = await build(c);
    const [inv, order] = [...s.targetGroups.values()];
    expect(inv!.healthCheck).toEqual({
      enabled: true,
      protocol: 'HTTP',
      protocolVersion: 'HTTP1',
      path: '/',
      healthCheckIntervalSeconds: 30,
      healthCheckTimeoutSeconds: 5,
      healthyThresholdCount: 5,
      unhealthyThresholdCount: 2,
      matcher: { httpCode: '200' },
    });
    expect(HEALTH_CHECK_DEFAULTS.healthCheckIntervalSeconds).toBe(30);
    expect(order!.protocolVersion).toBe('GRPC');
    expect(order!.healthCheck).toMatchObject({ enabled: false, path: '/healthz', port: 9100, healthCheckIntervalSeconds: 30 });
    expect(inv!.targets).toEqual([{ id: '127.0.0.1', address: '127.0.0.1', port: 9001, key: `${inv!.id}/127.0.0.1:9001` }]);
    expect(order!.targets[0]!.port).toBe(9002);
  });

  it('builds the IAM view: accounts with org data, roles, users, access keys with resolved secrets', async () => {
    const s = await build(validConfig());
    expect(s.iam.accounts.get('123456789012')).toEqual({ id: '123456789012', orgId: 'o-myorgid', orgPaths: ['o-myorgid/r-ab12/ou-ab12-11111111/'] });
    const role = s.iam.roles.get('arn:aws:iam::123456789012:role/order-service-role')!;
    expect(role).toMatchObject({ name: 'order-service-role', account: '123456789012', path: '/', tags: { team: 'orders' }, maxSessionDurationSeconds: 3600 });
    expect(role.identityPolicies).toHaveLength(1);
    const key = s.iam.accessKeys.get('AKIAIOSFODNN7EXAMPLE')!;
    expect(key.secretAccessKey).toBe(SECRET);
    expect(key.status).toBe('Active');
    expect(key.user.arn).toBe('arn:aws:iam::123456789012:user/ci');
  });

  it('reads a secret from a file (relative to baseDir, mode 0600), refuses unset, shared, unreadable and weak secrets without printing them', async () => {
    const dir = tempDir('net');
    writeFileSync(path.join(dir, 'ci-secret'), `${SECRET}\n`, { mode: 0o600 });
    const c = validConfig();
    c.users![0]!.accessKeys![0]!.secretAccessKey = { file: 'ci-secret' };
    const s = await build(c, {}, dir);
    expect(s.iam.accessKeys.get('AKIAIOSFODNN7EXAMPLE')!.secretAccessKey).toBe(SECRET);

    const unset = await buildError(validConfig(), {});
    expect(unset.issues).toEqual([{ path: '$.users[0].accessKeys[0].secretAccessKey.env', message: 'environment variable LATTICED_CI_SECRET is not set' }]);
    await expect(buildSnapshot(validConfig(), { revision: 1, baseDir: FIXTURES, env: {}, file: 'shop.yaml' })).rejects.toThrow(
      'shop.yaml: $.users[0].accessKeys[0].secretAccessKey.env: environment variable LATTICED_CI_SECRET is not set',
    );

    writeFileSync(path.join(dir, 'open-secret'), SECRET, { mode: 0o644 });
    c.users![0]!.accessKeys![0]!.secretAccessKey = { file: 'open-secret' };
    const open = await buildError(c, {}, dir);
    expect(open.issues).toEqual([
      { path: '$.users[0].accessKeys[0].secretAccessKey.file', message: `${path.join(dir, 'open-secret')} is accessible to other users (mode 644); chmod 600 it` },
    ]);

    c.users![0]!.accessKeys![0]!.secretAccessKey = { file: 'missing' };
    expect((await buildError(c, {}, dir)).issues[0]!.path).toBe('$.users[0].accessKeys[0].secretAccessKey.file');

    const weak = await buildError(validConfig(), { LATTICED_CI_SECRET: 'short-secret' });
    expect(weak.issues[0]!.message).toBe('the secret in environment variable LATTICED_CI_SECRET is shorter than 16 characters');
    expect(weak.message).not.toContain('short-secret');
  });

  it('loads HTTPS certificates per service and port, with the service host names for SNI', async () => {
    const dir = tempDir('tls');
    const inv = selfSigned(dir, 'inv', 'inventory.example.internal');
    const other = selfSigned(dir, 'other', 'other');
    const c = validConfig();
    c.services![0]!.customDomainName = 'inventory.example.internal';
    c.services![0]!.certificate = { certFile: 'inv.crt', keyFile: 'inv.key' };
    c.services![0]!.listeners!.push({ protocol: 'HTTPS', defaultAction: { fixedResponse: { statusCode: 404 } } });
    const s = await build(c, ENV, dir);
    const binding = s.ports.get(443)!;
    expect(binding.protocol).toBe('HTTPS');
    expect(binding.certificates).toHaveLength(1);
    const svc = [...s.services.values()][0]!;
    expect(binding.certificates[0]!.serverNames).toEqual([svc.dnsName, 'inventory.example.internal']);
    expect(binding.certificates[0]!.cert).toBe(readFileSync(inv.certFile, 'utf8'));

    c.services![0]!.certificate = { certFile: 'inv.crt', keyFile: path.basename(other.keyFile) };
    expect((await buildError(c, ENV, dir)).issues).toEqual([
      { path: '$.services[0].certificate.keyFile', message: 'other.key is not the private key of inv.crt' },
    ]);
    c.services![0]!.certificate = { certFile: 'inv.key', keyFile: 'inv.key' };
    expect((await buildError(c, ENV, dir)).issues).toEqual([{ path: '$.services[0].certificate.certFile', message: 'inv.key is not a PEM certificate' }]);
  });

  it('hash: the same for the same model in any key order or format; changes with the model or a secret', async () => {
    const a = validConfig();
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reverseKeys)
        : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]))
          : v;
    const reordered = reverseKeys(a) as LatticedConfig;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(configHash(reordered)).toBe(configHash(a));
    const s1 = await build(a);
    const s2 = await build(reordered);
    expect(s1.hash).toBe(s2.hash);
    expect(s1.hash).toMatch(/^[0-9a-f]{64}$/);
    const s3 = await build(a, { LATTICED_CI_SECRET: `${SECRET}2` });
    expect(s3.hash).not.toBe(s1.hash);
    const changed = validConfig();
    changed.services![1]!.authType = 'AWS_IAM';
    expect((await build(changed)).hash).not.toBe(s1.hash);
  });

  it('node settings: defaults, and paths resolved against baseDir', async () => {
    const c = validConfig();
    const s = await build(c);
    expect(s.settings).toEqual({
      listenAddress: '127.0.0.1',
      workers: 1,
      accessLog: { stdout: false, bufferBytes: 131072 },
      verifiedSignatureCacheSize: 10000,
      allowPathParameters: false,
      http1FastPath: true,
      limits: { maxHeaderBytes: 65536, maxHeaderCount: 200, maxRequestIdBytes: 512 },
      timeouts: { requestTimeoutSeconds: 60, headersTimeoutSeconds: 10, idleTimeoutSeconds: 60, upstreamConnectTimeoutSeconds: 10, shutdownGraceSeconds: 30 },
    });
    c.node = { accessLog: { file: 'logs/access.log', stdout: true, bufferBytes: 0 }, stateDir: 'state', limits: { maxHeaderCount: 50 }, timeouts: { idleTimeoutSeconds: 5 }, verifiedSignatureCacheSize: 0, allowPathParameters: true, http1FastPath: false };
    const t = await build(c, ENV, '/srv/latticed');
    expect(t.settings.allowPathParameters).toBe(true);
    expect(t.settings.http1FastPath).toBe(false);
    expect(t.settings.verifiedSignatureCacheSize).toBe(0);
    expect(t.settings.accessLog).toEqual({ file: '/srv/latticed/logs/access.log', stdout: true, bufferBytes: 0 });
    expect(t.settings.stateDir).toBe('/srv/latticed/state');
    expect(t.settings.limits).toEqual({ maxHeaderBytes: 65536, maxHeaderCount: 50, maxRequestIdBytes: 512 });
    expect(t.settings.timeouts.idleTimeoutSeconds).toBe(5);
    expect(t.settings.timeouts.requestTimeoutSeconds).toBe(60);
  });

  it('refuses an invalid configuration (validation runs again before compiling)', async () => {
    const c = validConfig();
    c.serviceNetworks![0]!.serviceAssociations!.push({ serviceIdentifier: 'ghost' });
    const e = await buildError(c);
    expect(e.issues.map((i) => i.path)).toEqual(['$.serviceNetworks[0].serviceAssociations[2].serviceIdentifier']);
  });

  it('the snapshot is frozen', async () => {
    const s = await build(validConfig());
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen([...s.services.values()][0])).toBe(true);
    expect(Object.isFrozen([...s.targetGroups.values()][0]!.healthCheck)).toBe(true);
  });
});
