/**
 * Property: `latticed policy simulate --cases` agrees with the library. For random requests and a
 * random choice among several layer set-ups, every line the binary prints carries the decision,
 * layer, statement, kind of denial and message that authorizeLattice gives for the same request.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authorizeLattice,
  buildRequestContext,
  compilePolicy,
  type HttpRequestDescription,
  type LatticeAuthorization,
} from '../../src/policy/index.js';
import { EXAMPLE, latticed, ROLE_SESSION, SERVICE, tempFiles } from './policy-helpers.js';

const doc = (f: string) => readFileSync(path.join(EXAMPLE, f), 'utf8');
const extra = {
  'identity-allow.json': { Version: '2012-10-17', Statement: [{ Sid: 'Invoke', Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] },
  'identity-no-post.json': {
    Version: '2012-10-17',
    Statement: [{ Sid: 'NoPost', Effect: 'Deny', Action: 'vpc-lattice-svcs:*', Resource: '*', Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'POST' } } }],
  },
  'service-headers.json': {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Api', Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*', Condition: { StringLike: { 'vpc-lattice-svcs:RequestPath': '/api/*' } } },
      { Sid: 'Blocked', Effect: 'Deny', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*', Condition: { StringEquals: { 'vpc-lattice-svcs:RequestHeader/x-team': 'blocked' } } },
      { Sid: 'Query', Effect: 'Allow', Principal: '*', Action: 'vpc-lattice-svcs:Invoke', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'vpc-lattice-svcs:RequestQueryString/k': 'open' } } },
    ],
  },
};
const dir = tempFiles(extra);
const file = (n: string) => (n in extra ? path.join(dir, n) : path.join(EXAMPLE, n));
const compiled = (n: string, kind: 'identity' | 'resource') =>
  compilePolicy(n in extra ? JSON.stringify(extra[n as keyof typeof extra]) : doc(n), { kind });

interface Setup {
  args: string[];
  auth: LatticeAuthorization;
}
const setups: Setup[] = [
  {
    args: ['--network-policy', file('shop-network.json'), '--service-policy', file('inventory-service.json'), '--skip-identity'],
    auth: { skipIdentity: true, network: { authType: 'AWS_IAM', policy: compiled('shop-network.json', 'resource') }, service: { authType: 'AWS_IAM', policy: compiled('inventory-service.json', 'resource') } },
  },
  {
    args: ['--network-policy', file('shop-network.json'), '--service-policy', file('inventory-service.json'), '--identity-policy', file('identity-allow.json'), file('identity-no-post.json')],
    auth: {
      identityPolicies: [compiled('identity-allow.json', 'identity'), compiled('identity-no-post.json', 'identity')],
      network: { authType: 'AWS_IAM', policy: compiled('shop-network.json', 'resource') },
      service: { authType: 'AWS_IAM', policy: compiled('inventory-service.json', 'resource') },
    },
  },
  {
    args: ['--service-policy', file('service-headers.json'), '--identity-policy', file('identity-allow.json')],
    auth: { identityPolicies: [compiled('identity-allow.json', 'identity')], network: { authType: 'NONE' }, service: { authType: 'AWS_IAM', policy: compiled('service-headers.json', 'resource') } },
  },
  {
    args: ['--network-auth-type', 'AWS_IAM', '--service-policy', file('service-headers.json'), '--service-auth-type', 'NONE'],
    auth: { identityPolicies: [], network: { authType: 'AWS_IAM' }, service: { authType: 'NONE' } },
  },
];

const requestArb: fc.Arbitrary<HttpRequestDescription> = fc.record(
  {
    principal: fc.constantFrom(
      ROLE_SESSION,
      'arn:aws:sts::123456789012:assumed-role/reporting-service-role/s2',
      'arn:aws:sts::210987654321:assumed-role/order-service-role/s1',
      'arn:aws:iam::123456789012:user/ci',
      'arn:aws:iam::123456789012:root',
      'anonymous',
    ),
    principalOrgId: fc.constantFrom('o-myorgid', 'o-other'),
    method: fc.constantFrom('GET', 'POST', 'PUT', 'get'),
    path: fc.tuple(
      fc.constantFrom('/api/stock', '/api/stock/', '/api/orders', '/', '/x/api/stock'),
      fc.stringMatching(/^[a-z0-9/._-]{0,8}$/),
      fc.option(fc.constantFrom('?k=open', '?k=closed&k=open', '?k=', '?other=1'), { nil: '' }),
    ).map(([a, b, q]) => a + b + q),
    headers: fc.dictionary(fc.constantFrom('x-team', 'X-Team', 'content-type'), fc.constantFrom('blocked', 'orders', 'application/json'), { maxKeys: 2 }),
    port: fc.constantFrom(80, 443, 8080),
    serviceArn: fc.constantFrom(SERVICE, 'arn:aws:vpc-lattice:us-west-2:210987654321:service/svc-0fedcba9876543210'),
    time: fc.constant('2026-11-29T06:00:00Z'),
  },
  { requiredKeys: ['method', 'path', 'serviceArn', 'time'] },
);

describe('simulate --cases agrees with authorizeLattice', () => {
  it('on random requests and layer set-ups', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: setups.length - 1 }), fc.array(requestArb, { minLength: 1, maxLength: 40 }), (s, requests) => {
        const setup = setups[s]!;
        const cases = tempFiles({ 'c.jsonl': requests.map((r) => JSON.stringify(r)).join('\n') });
        const run = latticed(['policy', 'simulate', ...setup.args, '--cases', path.join(cases, 'c.jsonl')]);
        expect(run.stderr).toBe('');
        const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
        expect(lines).toHaveLength(requests.length);
        requests.forEach((req, i) => {
          const lib = authorizeLattice(setup.auth, buildRequestContext(req));
          const got = lines[i];
          expect(got.line).toBe(i + 1);
          expect(got.decision).toBe(lib.allowed ? 'Allow' : 'Deny');
          expect(got.layer).toBe(lib.layer);
          expect(got.statement).toEqual(lib.statement);
          expect(got.denial).toBe(lib.denial);
          expect(got.message).toBe(lib.message);
          expect(got.layers.map((l: { layer: string; decision: string }) => `${l.layer}:${l.decision}`)).toEqual(
            lib.layers.map((l) => `${l.layer}:${l.result.decision}`),
          );
        });
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
