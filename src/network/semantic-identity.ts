/** Semantic checks of the identity part: organizations, accounts, roles, users, access keys. */
import type { LatticedConfig, PolicyDocument } from './config-types.js';
import type { Issues } from './issues.js';
import { member } from './json-path.js';

function checkPolicies(issues: Issues, policies: Record<string, PolicyDocument> | undefined, path: string): void {
  for (const [name, doc] of Object.entries(policies ?? {})) issues.policy(doc, member(`${path}.policies`, name), 'identity');
}

export function checkIdentity(config: LatticedConfig, issues: Issues): void {
  const orgs = config.organizations ?? [];
  const accounts = config.accounts;
  const accountIds = new Set(accounts.map((a) => a.id));
  const orgIds = new Set(orgs.map((o) => o.id));

  issues.unique(orgs, (o) => o.id, (_, i) => `$.organizations[${i}].id`, 'organization id');
  orgs.forEach((o, i) => {
    if (o.managementAccountId !== undefined && !accountIds.has(o.managementAccountId))
      issues.add(`$.organizations[${i}].managementAccountId`, `account "${o.managementAccountId}" is not defined in accounts`);
  });

  issues.unique(accounts, (a) => a.id, (_, i) => `$.accounts[${i}].id`, 'account id');
  accounts.forEach((a, i) => {
    const path = `$.accounts[${i}]`;
    if (a.organizationId !== undefined && !orgIds.has(a.organizationId))
      issues.add(`${path}.organizationId`, `organization "${a.organizationId}" is not defined in organizations`);
    if (a.orgPath !== undefined) {
      if (a.organizationId === undefined) issues.add(`${path}.orgPath`, 'orgPath needs organizationId');
      else if (!a.orgPath.startsWith(`${a.organizationId}/`))
        issues.add(`${path}.orgPath`, `orgPath must start with the account's organization id "${a.organizationId}/"`);
      const org = orgs.find((o) => o.id === a.organizationId);
      const root = a.orgPath.split('/')[1];
      if (org?.rootId !== undefined && root !== org.rootId)
        issues.add(`${path}.orgPath`, `orgPath names root "${root}" but organization ${org.id} has root "${org.rootId}"`);
    }
  });

  const roles = config.roles ?? [];
  issues.unique(roles, (r) => `${r.accountId}:${r.roleName.toLowerCase()}`, (_, i) => `$.roles[${i}].roleName`, 'role (account:name, case-insensitive)');
  issues.unique(roles, (r) => r.roleId, (_, i) => `$.roles[${i}].roleId`, 'roleId');
  roles.forEach((r, i) => {
    const path = `$.roles[${i}]`;
    if (!accountIds.has(r.accountId)) issues.add(`${path}.accountId`, `account "${r.accountId}" is not defined in accounts`);
    issues.unique(r.tags ?? [], (t) => t.Key.toLowerCase(), (_, j) => `${path}.tags[${j}].Key`, 'tag key');
    checkPolicies(issues, r.policies, path);
  });

  const users = config.users ?? [];
  issues.unique(users, (u) => `${u.accountId}:${u.userName.toLowerCase()}`, (_, i) => `$.users[${i}].userName`, 'user (account:name, case-insensitive)');
  issues.unique(users, (u) => u.userId, (_, i) => `$.users[${i}].userId`, 'userId');
  const keys = users.flatMap((u, i) => (u.accessKeys ?? []).map((k, j) => ({ id: k.accessKeyId, path: `$.users[${i}].accessKeys[${j}].accessKeyId` })));
  issues.unique(keys, (k) => k.id, (k) => k.path, 'accessKeyId');
  users.forEach((u, i) => {
    const path = `$.users[${i}]`;
    if (!accountIds.has(u.accountId)) issues.add(`${path}.accountId`, `account "${u.accountId}" is not defined in accounts`);
    issues.unique(u.tags ?? [], (t) => t.Key.toLowerCase(), (_, j) => `${path}.tags[${j}].Key`, 'tag key');
    checkPolicies(issues, u.policies, path);
  });
}
