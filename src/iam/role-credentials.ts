/**
 * `latticed credentials`' core: find a role in an IamSnapshot by name or ARN and mint a session for
 * it. A name that several accounts use is ambiguous and must be given as an ARN.
 */
import { IamValidationError } from './errors.js';
import { mintSessionCredentials, type MintSessionInput, type SessionCredentials } from './mint.js';
import type { IamSnapshot, RoleInfo } from './types.js';

export function findRole(iam: IamSnapshot, nameOrArn: string): RoleInfo {
  const byArn = iam.roles.get(nameOrArn);
  if (byArn !== undefined) return byArn;
  const named = [...iam.roles.values()].filter((r) => r.name === nameOrArn);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new IamValidationError('roleArn', `Role name ${nameOrArn} exists in several accounts; give its ARN (${named.map((r) => r.arn).join(', ')}).`);
  }
  const known = [...iam.roles.values()].map((r) => r.name).join(', ') || 'none';
  return notFound(nameOrArn, known);
}

function notFound(nameOrArn: string, known: string): never {
  const what = nameOrArn.startsWith('arn:') ? `The role ${nameOrArn}` : `The role with name ${nameOrArn}`;
  throw new IamValidationError('roleArn', `${what} cannot be found (roles in the configuration: ${known}).`, 'NoSuchEntity', 404);
}

export interface RoleCredentialsInput extends Omit<MintSessionInput, 'role' | 'account'> {
  iam: IamSnapshot;
  /** Role name or ARN. */
  role: string;
}

export function issueRoleCredentials(input: RoleCredentialsInput, masterKey: Buffer): SessionCredentials & { role: RoleInfo } {
  const { iam, role: nameOrArn, ...rest } = input;
  const role = findRole(iam, nameOrArn);
  const account = iam.accounts.get(role.account) ?? { id: role.account };
  return { ...mintSessionCredentials({ ...rest, role, account }, masterKey), role };
}
