/**
 * Principal and NotPrincipal. Sources (AWS IAM User Guide):
 *  - "AWS JSON policy elements: Principal"
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html);
 *  - "AWS JSON policy elements: NotPrincipal"
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html);
 *  - VPC Lattice User Guide, "Control access to VPC Lattice services using auth policies"
 *    (https://docs.aws.amazon.com/vpc-lattice/latest/ug/auth-policies.html) for the anonymous caller.
 */
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/policy/index.js';
import { decide, request } from './helpers.js';

const A = '123456789012';
const OTHER = '210987654321';
const session = `arn:aws:sts::${A}:assumed-role/order-service-role/s1`;

function allows(principalBlock: unknown, principal: string, element = 'Principal'): Decision {
  const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', [element]: principalBlock, Action: '*', Resource: '*' }] };
  return decide(doc, request({ principal }), 'resource');
}

describe('Principal (IAM User Guide: Principal element)', () => {
  it('"*" and {"AWS": "*"} match everyone, anonymous callers included (Lattice: "Principal": "*" admits anonymous)', () => {
    for (const block of ['*', { AWS: '*' }]) {
      expect(allows(block, session)).toBe('Allow');
      expect(allows(block, 'anonymous')).toBe('Allow');
    }
  });

  it('an account ID and arn:aws:iam::ACCOUNT:root match every IAM principal of that account ("AWS account principals")', () => {
    for (const block of [{ AWS: A }, { AWS: `arn:aws:iam::${A}:root` }]) {
      expect(allows(block, session)).toBe('Allow');
      expect(allows(block, `arn:aws:iam::${A}:user/jane`)).toBe('Allow');
      expect(allows(block, `arn:aws:iam::${OTHER}:user/jane`)).toBe('ImplicitDeny');
      expect(allows(block, 'anonymous')).toBe('ImplicitDeny');
    }
  });

  it('a role ARN matches the role\'s assumed-role sessions ("IAM role principals"), paths included', () => {
    expect(allows({ AWS: `arn:aws:iam::${A}:role/order-service-role` }, session)).toBe('Allow');
    expect(allows({ AWS: `arn:aws:iam::${A}:role/team/order-service-role` }, session)).toBe('Allow');
    expect(allows({ AWS: `arn:aws:iam::${A}:role/other-role` }, session)).toBe('ImplicitDeny');
    expect(allows({ AWS: `arn:aws:iam::${OTHER}:role/order-service-role` }, session)).toBe('ImplicitDeny');
  });

  it('a role session ARN matches only that session ("Role session principals")', () => {
    expect(allows({ AWS: session }, session)).toBe('Allow');
    expect(allows({ AWS: session }, session.replace('/s1', '/s2'))).toBe('ImplicitDeny');
  });

  it('a user ARN matches that user exactly ("IAM user principals"); a list matches any of its entries', () => {
    const jane = `arn:aws:iam::${A}:user/jane`;
    expect(allows({ AWS: jane }, jane)).toBe('Allow');
    expect(allows({ AWS: [`arn:aws:iam::${A}:user/bob`, jane] }, jane)).toBe('Allow');
    expect(allows({ AWS: `arn:aws:iam::${A}:user/bob` }, jane)).toBe('ImplicitDeny');
  });

  it('Service, Federated and CanonicalUser principals match the caller exactly ("AWS service principals", "Federated user principals")', () => {
    expect(allows({ Service: 'ecs.amazonaws.com' }, 'ecs.amazonaws.com')).toBe('Allow');
    expect(allows({ Service: ['ecs.amazonaws.com'] }, 'ec2.amazonaws.com')).toBe('ImplicitDeny');
    expect(allows({ Federated: 'cognito-identity.amazonaws.com' }, 'cognito-identity.amazonaws.com')).toBe('Allow');
    const canonical = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
    expect(allows({ CanonicalUser: canonical }, canonical)).toBe('Allow');
  });
});

describe('NotPrincipal (IAM User Guide: NotPrincipal element)', () => {
  it('applies to every caller except those listed', () => {
    const bob = `arn:aws:iam::${A}:user/bob`;
    expect(allows({ AWS: bob }, `arn:aws:iam::${A}:user/jane`, 'NotPrincipal')).toBe('Allow');
    expect(allows({ AWS: bob }, bob, 'NotPrincipal')).toBe('ImplicitDeny');
    expect(allows({ AWS: bob }, 'anonymous', 'NotPrincipal')).toBe('Allow');
    expect(allows('*', session, 'NotPrincipal')).toBe('ImplicitDeny');
  });

  it('listing a role does not exclude its sessions: the guide asks to list the session ARN too', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: [`arn:aws:iam::${A}:role/order-service-role`, `arn:aws:iam::${A}:root`] }, Action: '*', Resource: '*' }],
    };
    expect(decide(doc, request({ principal: session }), 'resource')).toBe('ExplicitDeny');
    const withSession = JSON.parse(JSON.stringify(doc));
    withSession.Statement[0].NotPrincipal.AWS.push(session);
    expect(decide(withSession, request({ principal: session }), 'resource')).toBe('ImplicitDeny');
  });
});
