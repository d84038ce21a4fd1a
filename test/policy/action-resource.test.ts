/**
 * Action/NotAction and Resource/NotResource. Sources:
 *  - IAM User Guide, "IAM JSON policy elements: Action" and "NotAction"
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html);
 *  - IAM User Guide, "IAM JSON policy elements: Resource" and "NotResource"
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html);
 *  - VPC Lattice User Guide, "Control access to VPC Lattice services using auth policies" — resource
 *    ARNs with paths (https://docs.aws.amazon.com/vpc-lattice/latest/ug/auth-policies.html).
 */
import { describe, expect, it } from 'vitest';
import { decide, LATTICE_SERVICE, request } from './helpers.js';

const policy = (statement: object) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', ...statement }],
});

describe('Action / NotAction (IAM User Guide: Action element)', () => {
  it('"iam:*AccessKey*" matches with wildcards, case-insensitively (the guide: "action names are not case-sensitive")', () => {
    const p = policy({ Action: 'iam:*AccessKey*', Resource: '*' });
    expect(decide(p, request({ action: 'iam:CreateAccessKey' }))).toBe('Allow');
    expect(decide(p, request({ action: 'IAM:listaccesskeys' }))).toBe('Allow');
    expect(decide(p, request({ action: 'iam:CreateUser' }))).toBe('ImplicitDeny');
  });

  it('"?" matches one character; the service prefix must match too', () => {
    const p = policy({ Action: 'vpc-lattice-svcs:Invok?', Resource: '*' });
    expect(decide(p, request())).toBe('Allow');
    expect(decide(p, request({ action: 'vpc-lattice:Invoke' }))).toBe('ImplicitDeny');
  });

  it('NotAction matches every action except those listed (the guide\'s "NotAction with Allow" example)', () => {
    const p = policy({ NotAction: 'iam:*', Resource: '*' });
    expect(decide(p, request({ action: 's3:GetObject' }))).toBe('Allow');
    expect(decide(p, request({ action: 'IAM:CreateUser' }))).toBe('ImplicitDeny');
  });
});

describe('Resource / NotResource (IAM User Guide: Resource element; Lattice auth policies)', () => {
  it('a Lattice service ARN with a path wildcard: service/svc-ID/api/stock* (Lattice example)', () => {
    const p = policy({ Action: 'vpc-lattice-svcs:Invoke', Resource: `${LATTICE_SERVICE}/api/stock*` });
    expect(decide(p, request({ resource: `${LATTICE_SERVICE}/api/stock` }))).toBe('Allow');
    expect(decide(p, request({ resource: `${LATTICE_SERVICE}/api/stock/42` }))).toBe('Allow');
    expect(decide(p, request({ resource: `${LATTICE_SERVICE}/api/orders` }))).toBe('ImplicitDeny');
  });

  it('resource matching is case-sensitive (the guide: "resource ARNs are case-sensitive" for paths)', () => {
    const p = policy({ Action: '*', Resource: `${LATTICE_SERVICE}/api/stock` });
    expect(decide(p, request({ resource: `${LATTICE_SERVICE}/API/STOCK` }))).toBe('ImplicitDeny');
  });

  it('gRPC paths /package.Service/Method match like any path', () => {
    const p = policy({ Action: '*', Resource: `${LATTICE_SERVICE}/inventory.v1.Stock/*` });
    expect(decide(p, request({ resource: `${LATTICE_SERVICE}/inventory.v1.Stock/Get` }))).toBe('Allow');
    expect(decide(p, request({ resource: `${LATTICE_SERVICE}/inventory.v1.Orders/Get` }))).toBe('ImplicitDeny');
  });

  it('wildcards in the region/account parts match within that part only', () => {
    const p = policy({ Action: '*', Resource: 'arn:aws:vpc-lattice:*:123456789012:service/*' });
    expect(decide(p, request())).toBe('Allow');
    expect(decide(p, request({ resource: 'arn:aws:vpc-lattice:us-west-2:999999999999:service/svc-1' }))).toBe('ImplicitDeny');
  });

  it('NotResource matches every resource except those listed', () => {
    const p = policy({ Action: '*', NotResource: `${LATTICE_SERVICE}/admin/*` });
    expect(decide(p, request())).toBe('Allow');
    expect(decide(p, request({ resource: `${LATTICE_SERVICE}/admin/users` }))).toBe('ImplicitDeny');
  });

  it('Statement as a single object and Resource/Action as single strings are accepted', () => {
    const p = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' } };
    expect(decide(p, request())).toBe('Allow');
  });
});
