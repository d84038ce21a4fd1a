/**
 * Header-signed requests already verified, so that the same signed request seen again skips the
 * canonical request and the HMAC (or ECDSA) check. A signature depends on the request only through
 * its raw parts: the method, the target as sent, the values of the signed headers, and the
 * `Authorization` header itself (algorithm, scope, signed-header list, signature). When all of them
 * are equal, the canonical request is equal, so for the same secret the outcome is too. Clients
 * sign at one-second resolution and Lattice signs no payload, so a busy caller repeating a call
 * sends the same signature many times a second.
 *
 * Only the cryptographic check is skipped. The verifier still checks the time of every hit and asks
 * the credential resolver again, and a hit counts only when the secret the resolver returns now is
 * the one the signature was verified with: an expired token, a deactivated key or a removed role is
 * refused exactly as without the cache. Presigned URLs, and requests that need headers nobody signed
 * (`date` instead of `x-amz-date`, no `x-amz-content-sha256`), are always verified in full.
 */
import { LRUCache } from 'lru-cache';
import type { AuthFields } from './auth-fields.js';
import { headerValue, singleValue } from './canonical-headers.js';
import type { SignedRequest, VerifiedIdentity } from './types.js';

export interface VerifiedEntry {
  method: string;
  url: string;
  bodySha256: string | undefined;
  fields: AuthFields;
  /** The signed headers' raw values, in `fields.signedHeaders` order. */
  values: (string | readonly string[] | undefined)[];
  amzDate: string;
  signedAt: number;
  /** The secret the signature was verified with. */
  secret: string;
  scope: VerifiedIdentity['scope'];
}


function sameValue(a: string | readonly string[] | undefined, b: string | readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || typeof a === 'string' || typeof b === 'string' || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a verified request may be remembered: header authentication whose date and payload hash are signed. */
function cacheable(fields: AuthFields): boolean {
  return !fields.presigned && fields.signedHeaders.includes('x-amz-date') && fields.signedHeaders.includes('x-amz-content-sha256');
}

export class VerifiedCache {
  private readonly entries: LRUCache<string, VerifiedEntry>;

  constructor(max: number) {
    this.entries = new LRUCache({ max });
  }

  /** The entry for a request whose every signed part equals one verified before; else undefined. */
  lookup(request: SignedRequest): VerifiedEntry | undefined {
    const authz = singleValue(request.headers.authorization);
    if (authz === undefined) return undefined;
    const e = this.entries.get(authz);
    if (e === undefined || e.method !== request.method || e.url !== request.url || e.bodySha256 !== request.bodySha256) return undefined;
    const names = e.fields.signedHeaders;
    for (let i = 0; i < names.length; i++) if (!sameValue(headerValue(request.headers, names[i]!), e.values[i])) return undefined;
    return e;
  }

  remember(request: SignedRequest, entry: Omit<VerifiedEntry, 'method' | 'url' | 'bodySha256' | 'values'>): void {
    const authz = singleValue(request.headers.authorization);
    if (authz === undefined || !cacheable(entry.fields)) return;
    const values = entry.fields.signedHeaders.map((name) => headerValue(request.headers, name));
    this.entries.set(authz, { ...entry, method: request.method, url: request.url, bodySha256: request.bodySha256, values });
  }
}
