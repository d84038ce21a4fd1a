/**
 * The authentication stage, in the pipeline only when the service network or the service has
 * authType AWS_IAM. A request with an `Authorization` header or `X-Amz-Signature`/`X-Amz-Algorithm`
 * query parameters is verified by src/sigv4 (SigV4, SigV4A, presigned); a failing signature is
 * rejected with the verifier's status and code even where anonymous callers would be allowed. A
 * request with neither is anonymous.
 */
import { createVerifier } from '../sigv4/index.js';
import type { CredentialResolver, SignedRequest, VerifiedIdentity, VerifyOptions } from '../sigv4/types.js';
import type { LatticeCredential } from '../iam/types.js';
import type { AuthenticationType } from '../observability/index.js';
import { sendError } from './responses.js';
import type { RequestState } from './request-state.js';
import type { IncomingMessage } from 'node:http';

export interface Verifier {
  verify(req: SignedRequest): Promise<VerifiedIdentity<LatticeCredential>> | VerifiedIdentity<LatticeCredential>;
}

/**
 * The node's verifier: `region` from the snapshot; `clock`, when given, is read on every
 * verification; `verifiedCacheSize` header-signed requests are remembered once verified.
 */
export function createLatticeVerifier(region: string, credentials: CredentialResolver<LatticeCredential>, clock?: () => number, verifiedCacheSize?: number): Verifier {
  const options: VerifyOptions<LatticeCredential> = { region, credentials };
  if (verifiedCacheSize !== undefined) options.verifiedCacheSize = verifiedCacheSize;
  // The verifier reads `options.now` per request: a getter keeps its key caches with an injected clock.
  if (clock !== undefined) Object.defineProperty(options, 'now', { get: clock, enumerable: true });
  const verifier = createVerifier(options);
  return { verify: verifier.verifyDirect };
}

/** Is the request signed (header or query authentication)? */
export function isSigned(s: RequestState): boolean {
  if (s.req.headers.authorization !== undefined) return true;
  const q = s.rawQuery;
  return q.length > 0 && (q.indexOf('X-Amz-Signature=') >= 0 || q.indexOf('X-Amz-Algorithm=') >= 0 || q.indexOf('X-Amz-Credential=') >= 0);
}

function authType(v: VerifiedIdentity<LatticeCredential>): AuthenticationType {
  if (v.presigned) return 'SIGV4_PRESIGNED';
  return v.algorithm === 'AWS4-ECDSA-P256-SHA256' ? 'SIGV4A' : 'SIGV4';
}

interface AwsStyleError {
  code: string;
  statusCode: number;
  message: string;
}

function isAwsStyleError(err: unknown): err is AwsStyleError {
  const e = err as Partial<AwsStyleError> | null;
  return typeof e?.code === 'string' && typeof e.statusCode === 'number';
}

/** The scheme a signed request claims (what its record says until, or unless, it verifies). */
function claimedType(s: RequestState): AuthenticationType {
  const authorization = s.req.headers.authorization;
  if (authorization === undefined) return 'SIGV4_PRESIGNED';
  return authorization.startsWith('AWS4-ECDSA') ? 'SIGV4A' : 'SIGV4';
}

/** `authenticationType` already says which scheme was tried (set before verifying). */
function reject(s: RequestState, err: unknown): false {
  s.record.resolvedUser = 'Unknown';
  if (isAwsStyleError(err) && err.statusCode >= 400 && err.statusCode < 500) {
    sendError(s, err.statusCode, err.code, err.message, 'AuthenticationFailed');
  } else {
    // Anything unexpected while verifying is a failed authentication, never a pass (fail closed).
    sendError(s, 403, 'InvalidSignatureException', 'The request signature could not be verified.', 'AuthenticationFailed');
  }
  return false;
}

/** The request's record is written, or about to be: its client is gone. */
function gone(s: RequestState): boolean {
  return s.logged || s.res.destroyed;
}

function accept(s: RequestState, v: VerifiedIdentity<LatticeCredential>): true {
  s.verified = v;
  const id = v.credential.identity;
  const r = s.record;
  r.authenticationType = authType(v);
  r.callerPrincipal = id.arn;
  r.resolvedUser = id.arn;
  if (id.orgId !== undefined) r.callerPrincipalOrgID = id.orgId;
  if (id.sourceIdentity !== undefined) r.sourceIdentity = id.sourceIdentity;
  return true;
}

/**
 * The verifier needs every value of a repeated header (`headersDistinct`), which Node builds in a
 * second pass over the raw headers. When no name repeats, `headers` already holds each one value.
 */
function distinctHeaders(req: IncomingMessage): IncomingMessage['headers'] | NodeJS.Dict<string[]> {
  const h = req.headers;
  let names = 0;
  for (const _ in h) names++;
  return names * 2 === req.rawHeaders.length ? h : req.headersDistinct;
}

export function authenticateStage(verifier: Verifier): (s: RequestState) => boolean | Promise<boolean> {
  return (s) => {
    if (!isSigned(s)) {
      s.record.authenticationType = 'ANONYMOUS';
      s.record.resolvedUser = 'anonymous';
      s.record.callerPrincipal = 'anonymous';
      return true;
    }
    // Until verified, the record says which scheme was tried (not ANONYMOUS): it is what gets logged
    // if the client leaves while an asynchronous credential lookup is pending.
    s.record.authenticationType = claimedType(s);
    const req = s.req;
    // The signature covers the target as the client sent it, not the normalised one.
    const headers = req.httpVersionMajor === 2 ? req.headers : distinctHeaders(req as IncomingMessage);
    let result;
    try {
      result = verifier.verify({ method: req.method ?? 'GET', url: req.url ?? '/', headers });
    } catch (err) {
      return reject(s, err);
    }
    if (result instanceof Promise) {
      // The client may have left (and its record been written) while the credentials were looked
      // up: the request must then go no further, least of all to a target.
      return result.then(
        (v) => (gone(s) ? false : accept(s, v)),
        (err) => (gone(s) ? false : reject(s, err)),
      );
    }
    return accept(s, result);
  };
}
