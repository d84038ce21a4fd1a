import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildSnapshot, iamUniqueId, latticeId, serviceDnsName } from '../../src/network/index.js';
import { buildModel } from '../../src/network/model.js';
import { ENV, FIXTURES, validConfig } from './helpers.js';

/** The id and ARN patterns of botocore's vpc-lattice model, read with the real python3 botocore. */
const BOTOCORE_PATTERNS = JSON.parse(
  execFileSync('python3', [
    '-c',
    `import json,gzip,botocore,os
m=json.load(gzip.open(os.path.join(os.path.dirname(botocore.__file__),'data/vpc-lattice/2022-11-30/service-2.json.gz')))
s=m['shapes']
print(json.dumps({k:s[k]['pattern'] for k in ['ServiceId','ServiceNetworkId','ListenerId','RuleId','TargetGroupId','ServiceNetworkVpcAssociationId','ServiceNetworkServiceAssociationIdentifier','ServiceArn','ServiceNetworkArn','ListenerArn','RuleArn','TargetGroupArn','ServiceNetworkVpcAssociationArn','ServiceNetworkServiceAssociationArn']}))`,
  ]).toString(),
) as Record<string, string>;

const full = (name: string) => new RegExp(`^(?:${BOTOCORE_PATTERNS[name]})$`);

function withRule() {
  const c = validConfig();
  c.services![0]!.listeners![0]!.rules = [
    { name: 'stock', priority: 1, match: { httpMatch: { pathMatch: { match: { prefix: '/api/stock' } } } }, action: { fixedResponse: { statusCode: 404 } } },
  ];
  return c;
}

describe('identifiers', () => {
  it('match the vpc-lattice model\'s id and ARN patterns (from botocore)', async () => {
    const snap = await buildSnapshot(withRule(), { revision: 1, baseDir: FIXTURES, env: ENV });
    const svc = [...snap.services.values()][0]!;
    const sn = [...snap.serviceNetworks.values()][0]!;
    const listener = svc.listeners.get(8080)!;
    const tg = [...snap.targetGroups.values()][0]!;
    const assoc = snap.vpcForAddress('127.0.1.1')!.association!;
    const route = listener.match('GET', '/api/stock', {});
    expect(svc.id).toMatch(full('ServiceId'));
    expect(svc.arn).toMatch(full('ServiceArn'));
    expect(sn.id).toMatch(full('ServiceNetworkId'));
    expect(sn.arn).toMatch(full('ServiceNetworkArn'));
    expect(listener.id).toMatch(full('ListenerId'));
    expect(listener.arn).toMatch(full('ListenerArn'));
    expect(route.ruleArn).toMatch(full('RuleArn'));
    expect(route.ruleArn!.split('/').pop()).toMatch(full('RuleId'));
    expect(tg.id).toMatch(full('TargetGroupId'));
    expect(tg.arn).toMatch(full('TargetGroupArn'));
    expect(assoc.id).toMatch(full('ServiceNetworkVpcAssociationId'));
    expect(assoc.arn).toMatch(full('ServiceNetworkVpcAssociationArn'));
    expect(latticeId('snsa', sn.id, svc.id)).toMatch(full('ServiceNetworkServiceAssociationIdentifier'));
  });

  it('are stable: the same across builds, reorderings and unrelated edits', () => {
    const a = buildModel(validConfig());
    const c = validConfig();
    c.services!.reverse();
    c.targetGroups!.reverse();
    c.services!.push({ name: 'another-service' });
    c.services![0]!.authType = 'AWS_IAM';
    const b = buildModel(c);
    const byName = (m: typeof a) => Object.fromEntries(m.services.map((s) => [s.cfg.name, [s.id, s.listeners.map((l) => l.id)]]));
    expect(byName(b)['inventory-service']).toEqual(byName(a)['inventory-service']);
    expect(byName(b)['order-service']).toEqual(byName(a)['order-service']);
    expect(b.targetGroups.map((t) => t.id).sort()).toEqual(a.targetGroups.map((t) => t.id).sort());
  });

  it('are pinned: a change to the derivation would rename every resource of every user', () => {
    expect(latticeId('svc', '123456789012', 'inventory-service')).toBe('svc-0d1bda77324fcb6ea');
    expect(iamUniqueId('AROA', '123456789012', 'order-service-role')).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(iamUniqueId('AIDA', '123456789012', 'ci')).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it('depend on the owning account and the name, and on the parent for children', () => {
    expect(latticeId('svc', '123456789012', 'a-svc')).not.toBe(latticeId('svc', '210987654321', 'a-svc'));
    expect(latticeId('svc', '123456789012', 'a-svc')).not.toBe(latticeId('tg', '123456789012', 'a-svc').replace('tg-', 'svc-'));
    const c = validConfig();
    c.services![0]!.accountId = '123456789012';
    c.accounts.push({ id: '210987654321' });
    const before = buildModel(c).services[0]!;
    c.services![0]!.accountId = '210987654321';
    const after = buildModel(c).services[0]!;
    expect(after.id).not.toBe(before.id);
    expect(after.arn).toContain(':210987654321:service/');
    expect(after.listeners[0]!.id).not.toBe(before.listeners[0]!.id);
  });

  it('an explicit id overrides the generated one, and children derive from it', () => {
    const c = validConfig();
    c.services![0]!.id = 'svc-0123456789abcdef0';
    const m = buildModel(c);
    expect(m.services[0]!.id).toBe('svc-0123456789abcdef0');
    expect(m.services[0]!.arn).toBe('arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0');
    expect(m.services[0]!.listeners[0]!.id).toBe(latticeId('listener', 'svc-0123456789abcdef0', 'http-8080'));
    expect(m.serviceByIdentifier('svc-0123456789abcdef0')).toBe(m.services[0]);
  });

  it('IAM unique ids are stable, and an explicit roleId/userId wins', async () => {
    const c = validConfig();
    c.roles![1]!.roleId = 'AROA1234567890ABCDEFG';
    const s1 = await buildSnapshot(c, { revision: 1, baseDir: FIXTURES, env: ENV });
    const s2 = await buildSnapshot(validConfig(), { revision: 2, baseDir: FIXTURES, env: ENV });
    const order = 'arn:aws:iam::123456789012:role/order-service-role';
    expect(s1.iam.roles.get(order)!.roleId).toBe(s2.iam.roles.get(order)!.roleId);
    expect(s1.iam.roles.get(order)!.roleId).toBe(iamUniqueId('AROA', '123456789012', 'order-service-role'));
    expect(s1.iam.roles.get('arn:aws:iam::123456789012:role/reporting-service-role')!.roleId).toBe('AROA1234567890ABCDEFG');
    expect(s1.iam.users.get('arn:aws:iam::123456789012:user/ci')!.userId).toBe(iamUniqueId('AIDA', '123456789012', 'ci'));
  });

  it('generates Lattice-form DNS names: NAME-ID.7d67968.vpc-lattice-svcs.REGION.on.aws', () => {
    expect(serviceDnsName('billing', 'svc-0a1b2c3d4e5f60718', 'us-west-2')).toBe('billing-0a1b2c3d4e5f60718.7d67968.vpc-lattice-svcs.us-west-2.on.aws');
    const m = buildModel(validConfig());
    expect(m.services[0]!.dnsName).toBe(`inventory-service-${m.services[0]!.id.slice(4)}.7d67968.vpc-lattice-svcs.us-west-2.on.aws`);
  });

  it('uses the region\'s partition in ARNs', () => {
    const c = validConfig();
    c.region = 'cn-north-1';
    expect(buildModel(c).services[0]!.arn).toMatch(/^arn:aws-cn:vpc-lattice:cn-north-1:/);
  });
});
