/**
 * Public types of the SigV4 / SigV4A verifier. This file is the contract other modules and
 * embedders build on; keep it stable.
 */

/** Header values shaped like Node's `IncomingHttpHeaders`/`headersDistinct`: lower-case names. */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The HTTP request to verify. */
export interface SignedRequest {
  method: string;
  /** The request target as sent: path plus optional `?query` (absolute-form URLs are accepted too). */
  url: string;
  /** Repeated headers must arrive as arrays (use `req.headersDistinct`). HTTP/2 `:authority` is accepted in place of `host`. */
  headers: HeaderMap;
  /** Lower-case hex SHA-256 of the body, when the caller has computed it; enables real body-hash checks. */
  bodySha256?: string;
}

/** What a credential resolver returns for a known access key. Extra fields are carried through as the identity. */
export interface ResolvedCredential {
  secretAccessKey: string;
}

/**
 * Looks up the secret for an access key. `sessionToken` is the `x-amz-security-token` (header or
 * query), signed or not. Return `undefined` for an unknown key. Throw a `SigV4Error`
 * (e.g. `ExpiredTokenException`) to reject with that code.
 */
export type CredentialResolver<C extends ResolvedCredential = ResolvedCredential> = (
  accessKeyId: string,
  sessionToken: string | undefined,
) => C | undefined | Promise<C | undefined>;

export interface VerifyOptions<C extends ResolvedCredential = ResolvedCredential> {
  /** Signing name; `vpc-lattice-svcs` by default. */
  service?: string;
  /** The node's region. SigV4 scopes must name it; SigV4A region sets must contain it. */
  region: string;
  credentials: CredentialResolver<C>;
  /** Current time, for tests and vectors. Defaults to `Date.now()`. */
  now?: Date | number;
  /** Allowed clock skew either way, in seconds. Default 300. */
  clockSkewSeconds?: number;
  /** Lattice's rule that `x-amz-content-sha256` is present and signed. Default true. */
  requireContentSha256?: boolean;
  /**
   * `createVerifier` only: how many verified header-signed requests to remember, so that the same
   * signed request arriving again skips the signature computation (time, resolver and secret are
   * still checked every time). Default 10000; 0 turns it off.
   */
  verifiedCacheSize?: number;
}

export type SigningAlgorithm = 'AWS4-HMAC-SHA256' | 'AWS4-ECDSA-P256-SHA256';

export interface CredentialScope {
  /** YYYYMMDD */
  date: string;
  /** SigV4: the scope's region. SigV4A: absent (the scope has none). */
  region?: string;
  /** SigV4A: the signed region set, as sent. */
  regionSet?: string[];
  service: string;
}

/** The verified identity a successful verification resolves to. */
export interface VerifiedIdentity<C extends ResolvedCredential = ResolvedCredential> {
  accessKeyId: string;
  sessionToken?: string;
  algorithm: SigningAlgorithm;
  /** true for query (presigned URL) authentication. */
  presigned: boolean;
  signedHeaders: readonly string[];
  scope: CredentialScope;
  /** X-Amz-Date of the request, as a Date. */
  signedAt: Date;
  /** Whatever the resolver returned, so the caller gets the identity it attached. */
  credential: C;
}
