/**
 * latticed/iam — the identity plane's data-plane half: the master key, sealing, STS session tokens
 * and the credential resolver the SigV4 verifier uses (docs/identity.md).
 *
 *   const masterKey = await loadMasterKey({ env: process.env, stateDir });
 *   const creds = mintSessionCredentials({ role, account, sessionName: 'orders' }, masterKey);
 *   const resolve = createCredentialResolver(() => snapshot.iam, masterKey);
 */
export type * from './types.js';
export { DEFAULT_STATE_DIR, MASTER_KEY_FILE } from './state-dir.js';
export { IamValidationError, MasterKeyError, SealError } from './errors.js';
export {
  loadMasterKey, parseMasterKey, formatMasterKey, MASTER_KEY_BYTES, MASTER_KEY_ENV, type LoadMasterKeyOptions,
} from './master-key.js';
export { seal, unseal, SEAL_VERSION } from './seal.js';
export {
  decodeSessionToken, encodeSessionToken, SESSION_TOKEN_PURPOSE, MAX_SESSION_TOKEN_CHARS, type SessionClaims,
} from './session-token.js';
export { mintSessionCredentials, type MintSessionInput, type SessionCredentials } from './mint.js';
export {
  validateSessionName, validateSourceIdentity, validateDuration, validateSessionTags, mergeTags, type SessionTag,
  MIN_SESSION_SECONDS, DEFAULT_SESSION_SECONDS, MAX_SESSION_TAGS,
} from './validate-session.js';
export { SESSION_ACCESS_KEY_ID } from './key-ids.js';
export { assumedRoleArn, sessionIdentity, userIdentity } from './identity.js';
export { createCredentialResolver, type CredentialResolverOptions } from './resolver.js';
export { findRole, issueRoleCredentials, type RoleCredentialsInput } from './role-credentials.js';
