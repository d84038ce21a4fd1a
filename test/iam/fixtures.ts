/** An in-memory IamSnapshot shaped like the one src/network builds: one org account, two roles, one user. */
import { randomBytes } from 'node:crypto';
import { compilePolicy } from '../../src/policy/index.js';
import type { AccessKeyInfo, AccountInfo, IamSnapshot, RoleInfo, UserInfo } from '../../src/iam/index.js';

export const ACCOUNT = '123456789012';
export const ORG = 'o-myorgid';
export const ORG_PATH = 'o-myorgid/r-ab12/ou-ab12-11111111/';
export const USER_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const USER_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const INACTIVE_KEY = 'AKIAI44QH8DHBEXAMPLE';

export const invoke = compilePolicy(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' }] },
  { kind: 'identity' },
);

export function role(name: string, extra: Partial<RoleInfo> = {}): RoleInfo {
  return Object.freeze({
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    name,
    roleId: `AROA${name.toUpperCase().replace(/[^A-Z]/g, '').padEnd(17, 'X').slice(0, 17)}`,
    account: ACCOUNT,
    path: '/',
    tags: Object.freeze({ team: 'orders', Env: 'prod' }),
    identityPolicies: [invoke],
    maxSessionDurationSeconds: 7200,
    ...extra,
  });
}

export const account: AccountInfo = Object.freeze({ id: ACCOUNT, orgId: ORG, orgPaths: Object.freeze([ORG_PATH]) });

export function iamSnapshot(roles: readonly RoleInfo[] = [role('order-service-role'), role('reporting-service-role')]): IamSnapshot {
  const user: UserInfo = Object.freeze({
    arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
    name: 'ci',
    userId: 'AIDAJQABLZS4A3QDU576Q',
    account: ACCOUNT,
    path: '/',
    tags: Object.freeze({ team: 'ci' }),
    identityPolicies: [invoke],
  });
  const keys: AccessKeyInfo[] = [
    Object.freeze({ accessKeyId: USER_KEY, secretAccessKey: USER_SECRET, status: 'Active' as const, user }),
    Object.freeze({ accessKeyId: INACTIVE_KEY, secretAccessKey: USER_SECRET, status: 'Inactive' as const, user }),
  ];
  return Object.freeze({
    accounts: new Map([[ACCOUNT, account]]),
    roles: new Map(roles.map((r) => [r.arn, r])),
    users: new Map([[user.arn, user]]),
    accessKeys: new Map(keys.map((k) => [k.accessKeyId, k])),
  });
}

export function newKey(): Buffer {
  return randomBytes(32);
}
