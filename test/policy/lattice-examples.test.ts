/**
 * Anonymous callers and the order-inventory example, against the VPC Lattice user guide:
 *  - "Anonymous principals are callers that don't sign their AWS requests with SigV4 … Anonymous
 *    principals can make unauthenticated requests to services in the service network if an auth
 *    policy allows it" (auth-policies, "Anonymous (unauthenticated) principals");
 *  - Example 3 ("Restrict access to services by authenticated principals in a specific VPC") excludes
 *    them with `"StringNotEquals": {"aws:PrincipalType": "Anonymous"}`;
 *  - Example 1 restricts by `aws:PrincipalOrgID`, Example 2 by role and `vpc-lattice-svcs:RequestMethod`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  authorizeLattice,
  buildRequestContext,
  compilePolicy,
  type HttpRequestDescription,
  type LatticeAuthorization,
} from '../../src/policy/index.js';

const SERVICE = 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0';
const ROLE_SESSION = 'arn:aws:sts::123456789012:assumed-role/order-service-role/s1';

function auth(statement: object): LatticeAuthorization {
  const policy = compilePolicy({ Version: '2012-10-17', Statement: [statement] }, { kind: 'resource' });
  return { service: { authType: 'AWS_IAM', policy }, skipIdentity: true };
}
const call = (principal: string) => buildRequestContext({ principal, method: 'GET', path: '/', serviceArn: SERVICE });

describe('anonymous callers and Principal "*"', () => {
  const everyone = { Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' };
  const everyoneAws = { ...everyone, Principal: { AWS: '*' } };
  const authenticatedOnly = { ...everyone, Condition: { StringNotEquals: { 'aws:PrincipalType': 'Anonymous' } } };

  it('Principal "*" allows an anonymous caller', () => {
    expect(authorizeLattice(auth(everyone), call('anonymous')).allowed).toBe(true);
  });
  it('Principal {"AWS": "*"} allows an anonymous caller too (IAM treats both forms alike)', () => {
    expect(authorizeLattice(auth(everyoneAws), call('anonymous')).allowed).toBe(true);
  });
  it('with the aws:PrincipalType exclusion (Example 3) an anonymous caller is denied by the service layer', () => {
    const d = authorizeLattice(auth(authenticatedOnly), call('anonymous'));
    expect(d).toMatchObject({ allowed: false, layer: 'Service', denial: 'implicit' });
    expect(d.message).toContain('User: anonymous is not authorized');
  });
  it('with the exclusion a signed caller still passes', () => {
    expect(authorizeLattice(auth(authenticatedOnly), call(ROLE_SESSION)).allowed).toBe(true);
  });
  it('a Deny on aws:PrincipalType Anonymous stops anonymous callers explicitly', () => {
    const policy = compilePolicy(
      {
        Version: '2012-10-17',
        Statement: [everyone, { Sid: 'NoAnonymous', Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'Anonymous' } } }],
      },
      { kind: 'resource' },
    );
    const d = authorizeLattice({ network: { authType: 'AWS_IAM', policy } }, call('anonymous'));
    expect(d).toMatchObject({ allowed: false, layer: 'Network', denial: 'explicit', statement: { index: 1, sid: 'NoAnonymous' } });
    expect(d.message).toMatch(/with an explicit deny in a network-based policy$/);
  });
  it('anonymous callers skip the identity layer: no identity policy is needed', () => {
    const d = authorizeLattice({ service: { authType: 'AWS_IAM', policy: compilePolicy({ Version: '2012-10-17', Statement: [everyone] }, { kind: 'resource' }) } }, call('anonymous'));
    expect(d.allowed).toBe(true);
    expect(d.layers.map((l) => l.layer)).toEqual(['Service']);
  });
  it('a principal named by ARN never matches an anonymous caller', () => {
    const named = { ...everyone, Principal: { AWS: 'arn:aws:iam::123456789012:role/order-service-role' } };
    expect(authorizeLattice(auth(named), call('anonymous')).allowed).toBe(false);
    expect(authorizeLattice(auth(named), call(ROLE_SESSION)).allowed).toBe(true);
  });
});

describe('order-inventory: order-service-role may GET /api/stock*, in org o-myorgid; nothing else passes', () => {
  const dir = path.resolve(import.meta.dirname, '../../examples/order-inventory/policies');
  const load = (f: string) => compilePolicy(readFileSync(path.join(dir, f), 'utf8'), { kind: 'resource' });
  const invokeAll = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] });
  const layers: LatticeAuthorization = {
    identityPolicies: [invokeAll],
    network: { authType: 'AWS_IAM', policy: load('shop-network.json') },
    service: { authType: 'AWS_IAM', policy: load('inventory-service.json') },
  };
  const base: HttpRequestDescription = {
    principal: ROLE_SESSION,
    principalOrgId: 'o-myorgid',
    method: 'GET',
    path: '/api/stock',
    serviceArn: SERVICE,
    serviceNetworkArn: 'arn:aws:vpc-lattice:us-west-2:123456789012:servicenetwork/sn-0123456789abcdef0',
    port: 8080,
  };
  const decide = (over: Partial<HttpRequestDescription>) => authorizeLattice(layers, buildRequestContext({ ...base, ...over }));

  it.each([
    ['/api/stock'],
    ['/api/stock/42'],
    ['/api/stock/42?warehouse=eu&warehouse=us'],
    ['/api/stocks'],
  ])('allows GET %s, decided by the service statement', (p) => {
    expect(decide({ path: p })).toMatchObject({ allowed: true, layer: 'Service', statement: { index: 0, sid: 'OrderServiceReadsStock' } });
  });

  it('allows another session of the same role', () => {
    expect(decide({ principal: 'arn:aws:sts::123456789012:assumed-role/order-service-role/other-session' }).allowed).toBe(true);
  });

  it.each<[string, Partial<HttpRequestDescription>, 'Network' | 'Service']>([
    ['POST', { method: 'POST' }, 'Service'],
    ['DELETE', { method: 'DELETE' }, 'Service'],
    ['lower-case get (methods are case-sensitive)', { method: 'get' }, 'Service'],
    ['another path', { path: '/api/orders' }, 'Service'],
    ['the path only in the query', { path: '/api/orders?next=/api/stock' }, 'Service'],
    ['a prefix before /api/stock', { path: '/x/api/stock' }, 'Service'],
    ['/api/stoc', { path: '/api/stoc' }, 'Service'],
    ['another role', { principal: 'arn:aws:sts::123456789012:assumed-role/reporting-service-role/s1' }, 'Service'],
    ['the same role name in another account', { principal: 'arn:aws:sts::210987654321:assumed-role/order-service-role/s1' }, 'Service'],
    ['an IAM user', { principal: 'arn:aws:iam::123456789012:user/order-service-role' }, 'Service'],
    ['another organization', { principalOrgId: 'o-otherorg' }, 'Network'],
    ['no organization', { principalOrgId: undefined }, 'Network'],
    ['an anonymous caller', { principal: 'anonymous' }, 'Network'],
    ['an anonymous caller claiming the org', { principal: 'anonymous', principalOrgId: 'o-myorgid' }, 'Network'],
    ['another service', { serviceArn: 'arn:aws:vpc-lattice:us-west-2:210987654321:service/svc-0123456789abcdef0' }, 'Service'],
  ])('denies %s', (_name, over, layer) => {
    const d = decide(over);
    expect(d.allowed).toBe(false);
    expect(d.layer).toBe(layer);
    expect(d.message).toMatch(new RegExp(`because no ${layer.toLowerCase()}-based policy allows the vpc-lattice-svcs:Invoke action$`));
  });

  it('denies at the identity layer when the role has no identity policy', () => {
    const d = authorizeLattice({ ...layers, identityPolicies: [] }, buildRequestContext(base));
    expect(d).toMatchObject({ allowed: false, layer: 'Identity' });
  });
});
