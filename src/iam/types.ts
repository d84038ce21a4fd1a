/**
 * Identity-plane contract: the compiled IAM view a snapshot carries, and the identity a verified
 * request resolves to. Owned by src/iam; consumed by src/network (builds it) and src/dataplane.
 */
import type { CompiledPolicy } from '../policy/index.js';
import type { ResolvedCredential } from '../sigv4/types.js';

export interface AccountInfo {
  id: string;
  /** Organization ID (`o-…`), when the account belongs to one. */
  orgId?: string;
  /** `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/` style paths (aws:PrincipalOrgPaths). */
  orgPaths?: readonly string[];
}

export interface RoleInfo {
  arn: string;
  name: string;
  /** IAM unique ID (`AROA…`), stable across restarts. */
  roleId: string;
  account: string;
  path: string;
  tags: Readonly<Record<string, string>>;
  identityPolicies: readonly CompiledPolicy[];
  maxSessionDurationSeconds: number;
}

export interface UserInfo {
  arn: string;
  name: string;
  /** IAM unique ID (`AIDA…`), stable across restarts. */
  userId: string;
  account: string;
  path: string;
  tags: Readonly<Record<string, string>>;
  identityPolicies: readonly CompiledPolicy[];
}

export interface AccessKeyInfo {
  accessKeyId: string;
  /** Resolved from its env-var or file reference when the snapshot was built. Never logged. */
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
  user: UserInfo;
}

/** The immutable IAM part of a snapshot. */
export interface IamSnapshot {
  readonly accounts: ReadonlyMap<string, AccountInfo>;
  /** By ARN. */
  readonly roles: ReadonlyMap<string, RoleInfo>;
  /** By ARN. */
  readonly users: ReadonlyMap<string, UserInfo>;
  readonly accessKeys: ReadonlyMap<string, AccessKeyInfo>;
}

/** The authenticated caller, as the policy layer and the identity headers need it. */
export interface CallerIdentity {
  /** `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION` or `arn:aws:iam::ACCT:user/NAME`. */
  arn: string;
  type: 'AssumedRole' | 'User';
  account: string;
  orgId?: string;
  orgPaths?: readonly string[];
  tags: Readonly<Record<string, string>>;
  /** aws:userid: `AROA…:SESSION` for sessions, `AIDA…` for users. */
  userId: string;
  /** aws:username for IAM users. */
  username?: string;
  sessionName?: string;
  sourceIdentity?: string;
  /** The role ARN for sessions (matches Principal role ARNs). */
  roleArn?: string;
  identityPolicies: readonly CompiledPolicy[];
}

/** What the credential resolver hands to the sigv4 verifier, and what the verifier returns as `credential`. */
export interface LatticeCredential extends ResolvedCredential {
  identity: CallerIdentity;
}
