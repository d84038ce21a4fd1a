/** Public surface of the SigV4 / SigV4A verifier (`latticed/sigv4`). */
export type * from './types.js';
export { SigV4Error, type SigV4ErrorCode } from './errors.js';
export { createVerifier, verifyRequest, type Verifier } from './verifier.js';
export { deriveSigV4aKeyPair, type SigV4aKeyPair } from './sigv4a-key.js';
export { canonicalRequest, stringToSign } from './canonical-request.js';
