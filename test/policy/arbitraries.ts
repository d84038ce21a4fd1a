/**
 * fast-check generators for valid policies and requests over small pools, so that random
 * combinations hit both the matching and the non-matching branch of every element and operator.
 */
import fc from 'fast-check';
import type { EvaluationRequest } from '../../src/policy/index.js';

const A = '123456789012';
const SVC = `arn:aws:vpc-lattice:us-west-2:${A}:service/svc-0123456789abcdef0`;
const ROLE = `arn:aws:iam::${A}:role/order-service-role`;
const SESSION = `arn:aws:sts::${A}:assumed-role/order-service-role/s1`;

const actions = ['vpc-lattice-svcs:Invoke', 'vpc-lattice-svcs:*', '*', 's3:GetObject', 'VPC-LATTICE-SVCS:invoke', 'vpc-lattice-svcs:Inv?ke'];
const resources = ['*', `${SVC}/*`, `${SVC}/api/*`, `${SVC}/api/stock`, `arn:aws:vpc-lattice:*:${A}:service/*`, `${SVC}/home/\${aws:username}/*`];
const principals: unknown[] = ['*', { AWS: '*' }, { AWS: A }, { AWS: ROLE }, { AWS: SESSION }, { AWS: '210987654321' }, { Service: 'ecs.amazonaws.com' }];

/** Families: operator names, one key, valid values. */
const families: { ops: string[]; key: string; values: string[] }[] = [
  {
    ops: ['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike'],
    key: 'vpc-lattice-svcs:RequestMethod',
    values: ['GET', 'get', 'POST', 'G*', '${aws:username}', "${aws:PrincipalTag/team, 'GET'}"],
  },
  { ops: ['StringEquals', 'StringLike', 'StringNotEquals'], key: 'aws:TagKeys', values: ['env', 'team', 'e*'] },
  {
    ops: ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals'],
    key: 'vpc-lattice-svcs:Port',
    values: ['443', '80', '8080.5'],
  },
  {
    ops: ['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals'],
    key: 'aws:CurrentTime',
    values: ['2026-01-01T00:00:00Z', '1700000000', '2020-06-30'],
  },
  { ops: ['Bool'], key: 'aws:SecureTransport', values: ['true', 'false'] },
  { ops: ['IpAddress', 'NotIpAddress'], key: 'aws:SourceIp', values: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'] },
  { ops: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'], key: 'aws:PrincipalArn', values: [`arn:aws:iam::${A}:role/*`, 'arn:aws:iam::*:role/order-service-role'] },
  { ops: ['BinaryEquals'], key: 'a:bin', values: ['QUJD', 'REVG'] },
  { ops: ['Null'], key: 'aws:PrincipalOrgID', values: ['true', 'false'] },
];

const oneOrMany = <T>(pool: readonly T[]) => fc.oneof(fc.constantFrom(...pool), fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 3 }));

const condition = fc
  .tuple(fc.constantFrom(...families), fc.nat(), fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'), fc.boolean())
  .chain(([f, i, qualifier, ifExists]) => {
    const base = f.ops[i % f.ops.length]!;
    const op = base === 'Null' ? base : `${qualifier}${base}${ifExists ? 'IfExists' : ''}`;
    return oneOrMany(f.values).map((v) => ({ [op]: { [f.key]: v } }));
  });

export const statement = (kind: 'identity' | 'resource', effect?: 'Allow' | 'Deny') =>
  fc
    .record({
      Effect: effect !== undefined ? fc.constant(effect) : fc.constantFrom('Allow', 'Deny'),
      act: fc.tuple(fc.boolean(), oneOrMany(actions)),
      res: fc.tuple(fc.boolean(), oneOrMany(resources)),
      pri: fc.tuple(fc.boolean(), fc.constantFrom(...principals)),
      Condition: fc.option(fc.array(condition, { maxLength: 3 }).map((cs) => Object.assign({}, ...cs) as object), { nil: undefined }),
    })
    .map(({ Effect, act, res, pri, Condition }) => {
      const s: Record<string, unknown> = { Effect };
      s[act[0] ? 'NotAction' : 'Action'] = act[1];
      s[res[0] ? 'NotResource' : 'Resource'] = res[1];
      if (kind === 'resource') s[pri[0] ? 'NotPrincipal' : 'Principal'] = pri[1];
      if (Condition !== undefined && Object.keys(Condition).length > 0) s.Condition = Condition;
      return s;
    });

export const policyDoc = (kind: 'identity' | 'resource') =>
  fc.record({
    Version: fc.constantFrom('2012-10-17', '2008-10-17'),
    Statement: fc.array(statement(kind), { minLength: 1, maxLength: 4 }),
  });

const contextValues: Record<string, string[]> = {
  'vpc-lattice-svcs:RequestMethod': ['GET', 'POST', 'get'],
  'aws:TagKeys': ['env', 'team', 'owner'],
  'vpc-lattice-svcs:Port': ['443', '80', 'x'],
  'aws:CurrentTime': ['2026-01-01T00:00:00Z', '2019-01-01T00:00:00Z', 'soon'],
  'aws:SecureTransport': ['true', 'false'],
  'aws:SourceIp': ['10.1.2.3', '2001:db8::1', '192.0.2.1', 'bad'],
  'aws:PrincipalArn': [ROLE, 'arn:aws:iam::210987654321:role/order-service-role'],
  'a:bin': ['QUJD', 'REVG'],
  'aws:PrincipalOrgID': ['o-myorgid'],
  'aws:username': ['GET', 'jane'],
  'aws:PrincipalTag/team': ['orders'],
};

const context = fc
  .subarray(Object.keys(contextValues))
  .chain((keys) =>
    fc.tuple(...keys.map((k) => fc.oneof(fc.constantFrom(...contextValues[k]!), fc.subarray(contextValues[k]!)))).map((vals) =>
      Object.fromEntries(keys.map((k, i) => [k, vals[i]!])),
    ),
  );

export const evaluationRequest: fc.Arbitrary<EvaluationRequest> = fc.record({
  principal: fc.constantFrom(SESSION, ROLE, 'anonymous', `arn:aws:iam::${A}:user/jane`, 'arn:aws:sts::210987654321:assumed-role/order-service-role/s1', 'ecs.amazonaws.com'),
  action: fc.constantFrom('vpc-lattice-svcs:Invoke', 's3:GetObject', 'vpc-lattice-svcs:Other'),
  resource: fc.constantFrom(`${SVC}/api/stock`, `${SVC}/api/`, `${SVC}/home/jane/x`, `${SVC}/home/GET/`, `${SVC}/admin`, `arn:aws:vpc-lattice:us-east-1:${A}:service/svc-1/`),
  context,
});
