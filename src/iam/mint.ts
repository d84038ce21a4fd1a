/**
 * Mints temporary role credentials, as STS AssumeRole would return them, with the session token
 * sealed under the master key (session-token.ts). Trust policies are not evaluated here: whoever
 * holds the master key (the operator running `latticed credentials`) is trusted to assume any role.
 */
import { assumedRoleArn } from './identity.js';
import { newSecretAccessKey, newSessionAccessKeyId } from './key-ids.js';
import { encodeSessionToken } from './session-token.js';
import type { AccountInfo, RoleInfo } from './types.js';
import {
  mergeTags, validateDuration, validateSessionName, validateSessionTags, validateSourceIdentity, type SessionTag,
} from './validate-session.js';

export interface MintSessionInput {
  role: RoleInfo;
  /** The role's account, for its organization (aws:PrincipalOrgID, aws:PrincipalOrgPaths). */
  account: AccountInfo;
  sessionName: string;
  /** 900 up to the role's maximum; default 3600 (or the role's maximum when lower). */
  durationSeconds?: number;
  sourceIdentity?: string;
  sessionTags?: readonly SessionTag[];
  now?: Date | number;
}

export interface SessionCredentials {
  /** `ASIA` + 16 characters. */
  accessKeyId: string;
  /** 40 characters. */
  secretAccessKey: string;
  /** The sealed session (base64). */
  sessionToken: string;
  expiration: Date;
  /** `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION` */
  assumedRoleArn: string;
  /** `AROA…:SESSION` */
  assumedRoleId: string;
}

/** Throws IamValidationError (AWS code and field) for bad input. */
export function mintSessionCredentials(input: MintSessionInput, masterKey: Buffer): SessionCredentials {
  const { role, account } = input;
  if (account.id !== role.account) throw new Error(`account ${account.id} is not the account of ${role.arn}`);
  validateSessionName(input.sessionName);
  if (input.sourceIdentity !== undefined) validateSourceIdentity(input.sourceIdentity);
  const tagList = input.sessionTags ?? [];
  validateSessionTags(tagList);
  const duration = validateDuration(input.durationSeconds, role);
  const nowMs = input.now === undefined ? Date.now() : +input.now;
  const issuedAt = Math.floor(nowMs / 1000);
  const expiresAt = issuedAt + duration;
  const sessionTags = Object.freeze(Object.fromEntries(tagList.map((t) => [t.Key, t.Value])));
  const accessKeyId = newSessionAccessKeyId();
  const secretAccessKey = newSecretAccessKey();
  const sessionToken = encodeSessionToken(
    {
      accessKeyId, secretAccessKey, roleArn: role.arn, roleId: role.roleId, account: role.account,
      ...(account.orgId === undefined ? {} : { orgId: account.orgId }),
      ...(account.orgPaths === undefined ? {} : { orgPaths: account.orgPaths }),
      tags: mergeTags(role.tags, sessionTags), sessionTags, sessionName: input.sessionName,
      ...(input.sourceIdentity === undefined ? {} : { sourceIdentity: input.sourceIdentity }),
      issuedAt, expiresAt,
    },
    masterKey,
  );
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken,
    expiration: new Date(expiresAt * 1000),
    assumedRoleArn: assumedRoleArn(role, input.sessionName),
    assumedRoleId: `${role.roleId}:${input.sessionName}`,
  };
}
