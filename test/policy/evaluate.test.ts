/**
 * Evaluating one policy: decision, determining statements, explanation. Sources:
 *  - IAM User Guide, "Policy evaluation logic" — "an explicit deny in any policy overrides any allow";
 *    by default requests are implicitly denied
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
 *  - VPC Lattice User Guide, "Control access to VPC Lattice services using auth policies": the
 *    order-inventory style example (role may GET /api/stock*, with RequestMethod and PrincipalOrgID)
 *    (https://docs.aws.amazon.com/vpc-lattice/latest/ug/auth-policies.html).
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluatePolicy, explainResult, prepareRequest } from '../../src/policy/index.js';
import { ACCOUNT, LATTICE_SERVICE, request } from './helpers.js';

const orderInventory = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'OrderServiceReadsStock',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/order-service-role` },
      Action: 'vpc-lattice-svcs:Invoke',
      Resource: `${LATTICE_SERVICE}/api/stock*`,
      Condition: {
        StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'GET', 'aws:PrincipalOrgID': 'o-myorgid' },
      },
    },
  ],
};
const good = { 'vpc-lattice-svcs:RequestMethod': 'GET', 'aws:PrincipalOrgID': 'o-myorgid' };

describe('evaluatePolicy (IAM policy evaluation logic; Lattice auth-policy example)', () => {
  const compiled = compilePolicy(orderInventory, { kind: 'resource' });

  it('the order-inventory example allows its role\'s sessions to GET /api/stock*, naming the statement', () => {
    const r = evaluatePolicy(compiled, request({ context: good }));
    expect(r).toEqual({ decision: 'Allow', determining: [{ index: 0, sid: 'OrderServiceReadsStock' }] });
  });

  it('and nothing else passes: other method, org, path, role, anonymous', () => {
    const cases = [
      request({ context: { ...good, 'vpc-lattice-svcs:RequestMethod': 'POST' } }),
      request({ context: { ...good, 'aws:PrincipalOrgID': 'o-other' } }),
      request({ context: good, resource: `${LATTICE_SERVICE}/api/orders` }),
      request({ context: good, principal: `arn:aws:sts::${ACCOUNT}:assumed-role/other-role/s1` }),
      request({ context: good, principal: 'anonymous' }),
      request({ context: good, action: 'vpc-lattice-svcs:Connect' }),
    ];
    for (const r of cases) expect(evaluatePolicy(compiled, r).decision).toBe('ImplicitDeny');
  });

  it('explain: why each statement did not match (principal, action, resource, condition key + operator)', () => {
    const at = (req: ReturnType<typeof request>) => evaluatePolicy(compiled, req, { explain: true }).trace?.[0]?.mismatch;
    expect(at(request({ context: good, principal: 'anonymous' }))).toEqual({ element: 'Principal' });
    expect(at(request({ context: good, action: 's3:GetObject' }))).toEqual({ element: 'Action' });
    expect(at(request({ context: good, resource: `${LATTICE_SERVICE}/x` }))).toEqual({ element: 'Resource' });
    expect(at(request({ context: { ...good, 'aws:PrincipalOrgID': 'o-x' } }))).toEqual({
      element: 'Condition',
      operator: 'StringEquals',
      key: 'aws:PrincipalOrgID',
    });
    expect(at(request({ context: good }))).toBeUndefined();
  });

  it('an explicit Deny overrides any Allow; all matching Deny statements are determining', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Allow', Effect: 'Allow', Action: '*', Resource: '*' },
        { Sid: 'NoPost', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': 'POST' } } },
        { Sid: 'NoAdmin', Effect: 'Deny', Action: '*', Resource: `${LATTICE_SERVICE}/admin*` },
      ],
    };
    const c = compilePolicy(doc);
    const post = { 'vpc-lattice-svcs:RequestMethod': 'POST' };
    expect(evaluatePolicy(c, request({ context: post })).determining).toEqual([{ index: 1, sid: 'NoPost' }]);
    const both = evaluatePolicy(c, request({ context: post, resource: `${LATTICE_SERVICE}/admin/x` }));
    expect(both).toEqual({ decision: 'ExplicitDeny', determining: [{ index: 1, sid: 'NoPost' }, { index: 2, sid: 'NoAdmin' }] });
    expect(evaluatePolicy(c, request()).decision).toBe('Allow');
  });

  it('no matching statement: ImplicitDeny with no determining statement; explainResult says why', () => {
    const r = evaluatePolicy(compiled, request({ principal: 'anonymous' }), { explain: true });
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.determining).toEqual([]);
    expect(explainResult(r)).toEqual([
      'ImplicitDeny: no statement allows the request',
      '  Allow statement 0 ("OrderServiceReadsStock") does not apply: Principal did not match',
    ]);
  });

  it('a PreparedRequest gives the same results as a raw request, and can be reused across policies', () => {
    const raw = request({ context: good });
    const prepared = prepareRequest(raw);
    const other = compilePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
    expect(evaluatePolicy(compiled, prepared)).toEqual(evaluatePolicy(compiled, raw));
    expect(evaluatePolicy(other, prepared).decision).toBe('ExplicitDeny');
    expect(evaluatePolicy(compiled, prepared, { explain: true }).trace).toHaveLength(1);
  });

  it('results are frozen shared objects on the allow path (no per-request allocation of the result)', () => {
    const prepared = prepareRequest(request({ context: good }));
    const a = evaluatePolicy(compiled, prepared);
    expect(evaluatePolicy(compiled, prepared)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});
