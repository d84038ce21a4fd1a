/** Verifier options for the Lattice-rule tests: one known key, optional session token check. */
import { SigV4Error, verifyRequest, type SignedRequest, type VerifiedIdentity, type VerifyOptions } from '../../../src/sigv4/index.js';
import { KEY, NOW, REGION } from './sign.js';

export const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN+/=';

export function options(extra: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    region: REGION,
    now: NOW,
    credentials: (id, token) => (id === KEY.accessKeyId && (token === undefined || token === TOKEN) ? { secretAccessKey: KEY.secretAccessKey } : undefined),
    ...extra,
  };
}

export function verify(r: SignedRequest, extra: Partial<VerifyOptions> = {}): Promise<VerifiedIdentity> {
  return verifyRequest(r, options(extra));
}

/** The SigV4Error a verification rejects with (fails the test if it resolves or throws anything else). */
export async function rejection(r: SignedRequest, extra: Partial<VerifyOptions> = {}): Promise<SigV4Error> {
  try {
    await verify(r, extra);
  } catch (e) {
    if (e instanceof SigV4Error) return e;
    throw e;
  }
  throw new Error('verification unexpectedly succeeded');
}
