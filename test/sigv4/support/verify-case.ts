/** Verifies a vector case with its own credentials, time, region and service. */
import { verifyRequest, type SignedRequest, type VerifiedIdentity } from '../../../src/sigv4/index.js';
import type { VectorCase } from './vectors.js';

export interface CaseOverrides {
  request?: SignedRequest;
  now?: number;
  secretAccessKey?: string;
}

/** The resolver knows exactly the case's key, and only with the case's session token. */
export function verifyCase(c: VectorCase, o: CaseOverrides = {}): Promise<VerifiedIdentity> {
  return verifyRequest(o.request ?? c.request, {
    service: c.service,
    region: c.region,
    now: o.now ?? c.now,
    requireContentSha256: false,
    credentials: (accessKeyId, sessionToken) =>
      accessKeyId === c.accessKeyId && sessionToken === c.sessionToken ? { secretAccessKey: o.secretAccessKey ?? c.secretAccessKey } : undefined,
  });
}
