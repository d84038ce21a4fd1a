import { describe, expect, it } from 'vitest';
import {
  createCredentialResolver, findRole, IamValidationError, issueRoleCredentials, type LatticeCredential,
} from '../../src/iam/index.js';
import { ACCOUNT, iamSnapshot, newKey, role } from './fixtures.js';

describe('issueRoleCredentials (the core of latticed credentials)', () => {
  const key = newKey();
  const iam = iamSnapshot();

  it('finds a role by name or by ARN, and its credentials resolve', async () => {
    for (const ref of ['order-service-role', `arn:aws:iam::${ACCOUNT}:role/order-service-role`]) {
      const c = issueRoleCredentials({ iam, role: ref, sessionName: 'cli' }, key);
      expect(c.role.name).toBe('order-service-role');
      const resolved = (await createCredentialResolver(() => iam, key)(c.accessKeyId, c.sessionToken)) as LatticeCredential;
      expect(resolved.identity.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/cli`);
      expect(resolved.identity.orgId).toBe('o-myorgid');
    }
  });

  it('an unknown role is NoSuchEntity on roleArn, listing the known roles', () => {
    try {
      findRole(iam, 'nope');
      throw new Error('found');
    } catch (e) {
      expect(e).toBeInstanceOf(IamValidationError);
      expect(e).toMatchObject({ code: 'NoSuchEntity', field: 'roleArn', statusCode: 404 });
      expect((e as Error).message).toContain('order-service-role, reporting-service-role');
    }
  });

  it('a name used in two accounts is ambiguous; its ARN is not', () => {
    const other = role('order-service-role', { arn: 'arn:aws:iam::210987654321:role/order-service-role', account: '210987654321' });
    const two = iamSnapshot([role('order-service-role'), other]);
    expect(() => findRole(two, 'order-service-role')).toThrow(/several accounts/);
    expect(findRole(two, other.arn)).toBe(other);
  });
});
