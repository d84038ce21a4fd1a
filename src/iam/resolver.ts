/**
 * The credential resolver the SigV4 verifier calls for every signed request. Long-term keys (AKIA…)
 * come from the current IamSnapshot; session keys (ASIA…) from their sealed token, which is opened
 * once and memoised in a bounded LRU keyed by the token itself. Every outcome other than a
 * credential is a SigV4Error with AWS's code, and any doubt is a rejection (fail closed):
 * - a token with a long-term key, an inactive key, a token that does not open, a token bound to
 *   another access key, or one whose role is gone or was re-created: UnrecognizedClientException;
 * - a token past its expiry: ExpiredTokenException.
 */
import { LRUCache } from 'lru-cache';
import type { CredentialResolver } from '../sigv4/types.js';
import { expiredToken, invalidToken } from './auth-errors.js';
import { sessionIdentity, userIdentity } from './identity.js';
import { SESSION_KEY_PREFIX } from './key-ids.js';
import { decodeSessionToken, MAX_SESSION_TOKEN_CHARS, type SessionClaims } from './session-token.js';
import type { AccessKeyInfo, AccountInfo, IamSnapshot, LatticeCredential, RoleInfo } from './types.js';

/** String equality whose time depends only on the lengths; no allocation on the request path. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface CredentialResolverOptions {
  /** Current time in milliseconds; for tests. Default Date.now. */
  now?: () => number;
  /** Opened tokens kept in memory. Default 10000. */
  cacheSize?: number;
}

interface OpenedSession {
  claims: SessionClaims;
  expiresAtMs: number;
  /** The identity last built, and the snapshot objects it was built from. */
  role?: RoleInfo;
  account?: AccountInfo | undefined;
  credential?: LatticeCredential;
}

export function createCredentialResolver(
  getIam: () => IamSnapshot,
  masterKey: Buffer,
  options: CredentialResolverOptions = {},
): CredentialResolver<LatticeCredential> {
  const now = options.now ?? Date.now;
  const sessions = new LRUCache<string, OpenedSession>({ max: options.cacheSize ?? 10_000 });
  // Snapshot objects are frozen and replaced on reload, so they can key their derived identity.
  const users = new WeakMap<AccessKeyInfo, LatticeCredential>();

  function longTerm(iam: IamSnapshot, accessKeyId: string): LatticeCredential | undefined {
    const key = iam.accessKeys.get(accessKeyId);
    if (key === undefined) return undefined;
    if (key.status !== 'Active') throw invalidToken();
    let cred = users.get(key);
    if (cred === undefined) {
      cred = Object.freeze({ secretAccessKey: key.secretAccessKey, identity: userIdentity(key, iam.accounts.get(key.user.account)) });
      users.set(key, cred);
    }
    return cred;
  }

  function open(token: string): OpenedSession {
    if (token.length > MAX_SESSION_TOKEN_CHARS) throw invalidToken(); // before it keys the cache
    // The token itself is the key: hashing a string is cheaper than a SHA-256 of it, and the cache
    // already holds what the token opens to (its temporary secret), so keeping the token adds nothing.
    let s = sessions.get(token);
    if (s === undefined) {
      let claims: SessionClaims;
      try {
        claims = decodeSessionToken(token, masterKey);
      } catch {
        throw invalidToken();
      }
      s = { claims, expiresAtMs: claims.expiresAt * 1000 };
      sessions.set(token, s);
    }
    // An expired entry stays until the LRU drops it: a client retrying it costs a lookup, not a decryption.
    if (now() >= s.expiresAtMs) throw expiredToken();
    return s;
  }

  function session(iam: IamSnapshot, accessKeyId: string, token: string): LatticeCredential {
    const s = open(token);
    if (!constantTimeEqual(accessKeyId, s.claims.accessKeyId)) throw invalidToken();
    const role = iam.roles.get(s.claims.roleArn);
    // A role deleted, or deleted and re-created under the same name (a new role id), ends its sessions.
    if (role === undefined || role.roleId !== s.claims.roleId) throw invalidToken();
    const account = iam.accounts.get(role.account);
    if (s.credential === undefined || s.role !== role || s.account !== account) {
      s.credential = Object.freeze({ secretAccessKey: s.claims.secretAccessKey, identity: sessionIdentity(s.claims, role, account) });
      s.role = role;
      s.account = account;
    }
    return s.credential;
  }

  return (accessKeyId, sessionToken) => {
    const iam = getIam();
    if (sessionToken === undefined) return longTerm(iam, accessKeyId);
    // AWS refuses a session token sent with a long-term key rather than ignoring it; so do we.
    if (!accessKeyId.startsWith(SESSION_KEY_PREFIX)) throw invalidToken();
    return session(iam, accessKeyId, sessionToken);
  };
}
