/**
 * The CallerIdentity of an IAM user or a role session, in AWS's formats: the assumed-role ARN
 * `arn:PARTITION:sts::ACCT:assumed-role/ROLE/SESSION` (the role's path is not part of it) and
 * aws:userid `AROA…:SESSION` for sessions, the user's ARN and `AIDA…` for users.
 */
import type { AccessKeyInfo, AccountInfo, CallerIdentity, RoleInfo } from './types.js';
import type { SessionClaims } from './session-token.js';
import { mergeTags } from './validate-session.js';

function partitionOf(arn: string): string {
  return arn.split(':', 2)[1] || 'aws';
}

export function assumedRoleArn(role: Pick<RoleInfo, 'arn' | 'name' | 'account'>, sessionName: string): string {
  return `arn:${partitionOf(role.arn)}:sts::${role.account}:assumed-role/${role.name}/${sessionName}`;
}

function orgFields(account: AccountInfo | undefined): Pick<CallerIdentity, 'orgId' | 'orgPaths'> {
  return {
    ...(account?.orgId === undefined ? {} : { orgId: account.orgId }),
    ...(account?.orgPaths === undefined ? {} : { orgPaths: account.orgPaths }),
  };
}

export function userIdentity(key: AccessKeyInfo, account: AccountInfo | undefined): CallerIdentity {
  const u = key.user;
  return Object.freeze({
    arn: u.arn,
    type: 'User' as const,
    account: u.account,
    ...orgFields(account),
    tags: u.tags,
    userId: u.userId,
    username: u.name,
    identityPolicies: u.identityPolicies,
  });
}

/**
 * A session's identity from its claims and the role as it is NOW: policies and role tags follow the
 * current configuration (session tags still win), and so does organization membership when the
 * account is known; the token's copy of the organization is the fallback.
 */
export function sessionIdentity(c: SessionClaims, role: RoleInfo, account: AccountInfo | undefined): CallerIdentity {
  return Object.freeze({
    arn: assumedRoleArn(role, c.sessionName),
    type: 'AssumedRole' as const,
    account: role.account,
    ...orgFields(account ?? { id: c.account, ...(c.orgId === undefined ? {} : { orgId: c.orgId }), ...(c.orgPaths === undefined ? {} : { orgPaths: c.orgPaths }) }),
    tags: mergeTags(role.tags, c.sessionTags),
    userId: `${role.roleId}:${c.sessionName}`,
    sessionName: c.sessionName,
    ...(c.sourceIdentity === undefined ? {} : { sourceIdentity: c.sourceIdentity }),
    roleArn: role.arn,
    identityPolicies: role.identityPolicies,
  });
}
