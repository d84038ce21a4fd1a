/**
 * latticeRequestPreparer: the data plane's PreparedRequest (the caller's keys shared per caller, the
 * request's keys read on demand) must say exactly what `new PreparedRequest(buildRequestContext(d))`
 * says, for every key either knows, and for keys neither has.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorizeLattice, buildRequestContext, compilePolicy, latticeRequestPreparer, PreparedRequest, type HttpRequestDescription } from '../../src/policy/index.js';

const SERVICE = 'arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0';
const NETWORK = 'arn:aws:vpc-lattice:us-west-2:123456789012:servicenetwork/sn-0123456789abcdef0';

const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const value = fc.string({ maxLength: 12 });
const headers = fc.dictionary(fc.oneof(token, fc.constantFrom('authorization', 'x-amz-security-token', 'constructor', 'content-type')), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 6 });
const query = fc.array(fc.tuple(fc.constantFrom('a', 'A', 'b', 'x%20y', 'c;d'), fc.constantFrom('1', '', 'v=w', 'a+b', '%E0%A4')), { maxLength: 5 });
const principal = fc.constantFrom(
  undefined,
  'anonymous',
  'ANONYMOUS',
  'arn:aws:sts::123456789012:assumed-role/order-service-role/s1',
  'arn:aws:iam::123456789012:user/ci',
  'arn:aws:iam::123456789012:root',
  'arn:aws:sts::123456789012:federated-user/Bob',
);
const description: fc.Arbitrary<HttpRequestDescription> = fc.record(
  {
    principal,
    principalOrgId: fc.constantFrom('o-myorgid', 'o-other'),
    principalOrgPaths: fc.constantFrom([], ['o-myorgid/r-ab12/ou-ab12-11111111/']),
    principalTags: fc.constantFrom<Record<string, string>>({ team: 'orders' }, { Team: 'a', team: 'b' }),
    sessionName: fc.constantFrom('s1', 'other'),
    sourceIdentity: fc.constantFrom('alice'),
    method: fc.constantFrom('GET', 'post', ''),
    path: fc.tuple(fc.constantFrom('/api/stock', '/', '/a b'), query).map(([p, q]) => (q.length === 0 ? p : `${p}?${q.map(([k, v]) => `${k}=${v}`).join('&')}`)),
    headers,
    port: fc.constantFrom(80, '443'),
    serviceArn: fc.constant(SERVICE),
    serviceNetworkArn: fc.constant(NETWORK),
    sourceVpc: fc.constantFrom('vpc-1a2b3c4d'),
    sourceVpcOwnerAccount: fc.constantFrom('123456789012'),
    sourceIp: fc.constantFrom('10.0.0.7', '', '::1'),
    secureTransport: fc.boolean(),
    resourceTags: fc.constantFrom({ env: 'prod' }),
    time: fc.constantFrom(1_796_000_000_000, 1_796_000_000_999, Number.NaN, '2026-12-31T23:59:59Z'),
  },
  { requiredKeys: ['method', 'path', 'serviceArn'] },
);

const PROBES = [
  'vpc-lattice-svcs:requestheader/authorization',
  'vpc-lattice-svcs:requestheader/x-amz-security-token',
  'vpc-lattice-svcs:requestheader/constructor',
  'vpc-lattice-svcs:requestheader/tostring',
  'vpc-lattice-svcs:requestheader/',
  'vpc-lattice-svcs:requestquerystring/a',
  'vpc-lattice-svcs:requestquerystring/zz',
  'aws:sourceip',
  'aws:currenttime',
  'aws:epochtime',
  'aws:principalorgpaths',
  'aws:nosuchkey',
  '__proto__',
];

function expectSame(lazy: PreparedRequest, eager: PreparedRequest): void {
  expect(lazy.principal).toEqual(eager.principal);
  expect([lazy.action, lazy.resource, lazy.resourceAccount]).toEqual([eager.action, eager.resource, eager.resourceAccount]);
  const keys = [...(eager.context as Map<string, unknown>).keys(), ...PROBES];
  for (const k of keys) {
    expect([k, lazy.context.get(k)]).toEqual([k, eager.context.get(k)]);
    expect([k, lazy.context.has(k)]).toEqual([k, eager.context.has(k)]);
  }
}

describe('latticeRequestPreparer', () => {
  it('gives every key the eager context gives, and no other', () => {
    const prepare = latticeRequestPreparer();
    fc.assert(
      fc.property(description, (d) => {
        // Node gives header names in lower case: the preparer's precondition.
        expectSame(prepare(d), new PreparedRequest(buildRequestContext(d)));
      }),
      { numRuns: 500 },
    );
  });

  it("does not serve one caller's keys to another, nor stale ones after a caller field changes", () => {
    const prepare = latticeRequestPreparer(2);
    const a: HttpRequestDescription = { principal: 'arn:aws:sts::123456789012:assumed-role/r/s1', principalOrgId: 'o-a', method: 'GET', path: '/', serviceArn: SERVICE };
    const b: HttpRequestDescription = { ...a, principal: 'arn:aws:sts::123456789012:assumed-role/r/s2', principalOrgId: 'o-b' };
    expect(prepare(a).context.get('aws:principalorgid')).toBe('o-a');
    expect(prepare(b).context.get('aws:principalorgid')).toBe('o-b');
    expect(prepare({ ...a, principalOrgId: 'o-c' }).context.get('aws:principalorgid')).toBe('o-c');
    expect(prepare({ ...a, sourceVpc: 'vpc-1' }).context.get('vpc-lattice-svcs:sourcevpc')).toBe('vpc-1');
    expect(prepare(a).context.get('vpc-lattice-svcs:sourcevpc')).toBeUndefined();
    // Past maxCallers the memo starts over; answers stay right.
    for (let i = 0; i < 5; i++) expect(prepare({ ...a, principal: `arn:aws:iam::123456789012:user/u${i}` }).context.get('aws:username')).toBe(`u${i}`);
  });

  it('decides as the eager request does', () => {
    const policy = compilePolicy(
      {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'vpc-lattice-svcs:Invoke',
          Resource: `${SERVICE}/api/*`,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-myorgid', 'vpc-lattice-svcs:RequestMethod': 'GET', 'vpc-lattice-svcs:RequestHeader/x-team': 'orders' } },
        },
      ],
      },
      { kind: 'resource' },
    );
    const prepare = latticeRequestPreparer();
    const auth = { service: { authType: 'AWS_IAM' as const, policy }, network: { authType: 'NONE' as const }, skipIdentity: true };
    for (const d of [
      { principal: 'arn:aws:sts::123456789012:assumed-role/r/s', principalOrgId: 'o-myorgid', method: 'GET', path: '/api/stock', headers: { 'x-team': 'orders' }, serviceArn: SERVICE },
      { principal: 'arn:aws:sts::123456789012:assumed-role/r/s', principalOrgId: 'o-myorgid', method: 'GET', path: '/api/stock', headers: { 'x-team': 'other' }, serviceArn: SERVICE },
      { principal: 'arn:aws:sts::123456789012:assumed-role/r/s', principalOrgId: 'o-other', method: 'GET', path: '/api/stock', headers: { 'x-team': 'orders' }, serviceArn: SERVICE },
    ]) {
      expect(authorizeLattice(auth, prepare(d)).allowed).toBe(authorizeLattice(auth, buildRequestContext(d)).allowed);
    }
    expect(authorizeLattice(auth, prepare({ principal: 'arn:aws:sts::123456789012:assumed-role/r/s', principalOrgId: 'o-myorgid', method: 'GET', path: '/api/stock', headers: { 'x-team': 'orders' }, serviceArn: SERVICE })).allowed).toBe(true);
  });
});
