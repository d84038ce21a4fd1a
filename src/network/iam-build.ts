/** Builds the IamSnapshot (accounts, roles, users, access keys) from the identity part of the file. */
import { compilePolicy, type CompiledPolicy } from '../policy/index.js';
import type { AccountInfo, AccessKeyInfo, IamSnapshot, RoleInfo, UserInfo } from '../iam/types.js';
import type { IamTag, LatticedConfig, PolicyDocument } from './config-types.js';
import { readSecret } from './external.js';
import { arns, iamUniqueId } from './ids.js';
import type { Issues } from './issues.js';

const DEFAULT_MAX_SESSION_SECONDS = 3600;

function tagRecord(tags: readonly IamTag[] | undefined): Readonly<Record<string, string>> {
  return Object.freeze(Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value])));
}

function identityPolicies(policies: Record<string, PolicyDocument> | undefined): readonly CompiledPolicy[] {
  // Already validated: compilePolicy cannot throw here.
  return Object.freeze(Object.values(policies ?? {}).map((doc) => compilePolicy(doc, { kind: 'identity' })));
}

export interface IamBuild {
  iam: IamSnapshot;
  /** The resolved secrets, in file order, for the snapshot's content hash. */
  secrets: string[];
}

export async function buildIam(
  config: LatticedConfig,
  baseDir: string,
  env: NodeJS.ProcessEnv,
  issues: Issues,
): Promise<IamBuild> {
  const region = config.region;
  const accounts = new Map<string, AccountInfo>();
  for (const a of config.accounts) {
    accounts.set(a.id, Object.freeze({
      id: a.id,
      ...(a.organizationId === undefined ? {} : { orgId: a.organizationId }),
      ...(a.orgPath === undefined ? {} : { orgPaths: Object.freeze([a.orgPath]) }),
    }));
  }

  const roles = new Map<string, RoleInfo>();
  for (const r of config.roles ?? []) {
    const path = r.path ?? '/';
    const arn = arns.role(region, r.accountId, path, r.roleName);
    roles.set(arn, Object.freeze({
      arn,
      name: r.roleName,
      roleId: r.roleId ?? iamUniqueId('AROA', r.accountId, r.roleName),
      account: r.accountId,
      path,
      tags: tagRecord(r.tags),
      identityPolicies: identityPolicies(r.policies),
      maxSessionDurationSeconds: r.maxSessionDuration ?? DEFAULT_MAX_SESSION_SECONDS,
    }));
  }

  const users = new Map<string, UserInfo>();
  const accessKeys = new Map<string, AccessKeyInfo>();
  const secrets: string[] = [];
  for (const [i, u] of (config.users ?? []).entries()) {
    const path = u.path ?? '/';
    const arn = arns.user(region, u.accountId, path, u.userName);
    const user: UserInfo = Object.freeze({
      arn,
      name: u.userName,
      userId: u.userId ?? iamUniqueId('AIDA', u.accountId, u.userName),
      account: u.accountId,
      path,
      tags: tagRecord(u.tags),
      identityPolicies: identityPolicies(u.policies),
    });
    users.set(arn, user);
    for (const [j, k] of (u.accessKeys ?? []).entries()) {
      const secret = await readSecret(k.secretAccessKey, `$.users[${i}].accessKeys[${j}].secretAccessKey`, baseDir, env, issues);
      if (secret === undefined) continue;
      secrets.push(secret);
      accessKeys.set(k.accessKeyId, Object.freeze({ accessKeyId: k.accessKeyId, secretAccessKey: secret, status: k.status ?? 'Active', user }));
    }
  }
  return { iam: Object.freeze({ accounts, roles, users, accessKeys }), secrets };
}
