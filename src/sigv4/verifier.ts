/**
 * Verifies a SigV4 / SigV4A request (header or presigned) the way VPC Lattice does. Cheap checks
 * on shape, scope and time run before the credential resolver; the canonical request is then
 * built once, and only on a mismatch are the other readings real clients use tried (path as
 * sent, `+` as space, session token outside the canonical query).
 */
import { timingSafeEqual, verify as ecdsaVerify } from 'node:crypto';
import { parseAmzDate, formatAmzDate, httpDateToAmzDate } from './amz-date.js';
import { hasQueryAuth, parseAuthorizationHeader, parseQueryAuth, type AuthFields, type ParsedAuth } from './auth-fields.js';
import { canonicalValue, firstValue, headerValue, singleValue } from './canonical-headers.js';
import { genericPath, hasAmbiguousDotSegments, pathCandidates } from './canonical-path.js';
import { canonicalQuery, hasPlus, parseQuery, type RawParam } from './canonical-query.js';
import { formatCanonicalRequest, stringToSign } from './canonical-request.js';
import { SigV4Error, incomplete, invalidRequest, invalidSignature, quote } from './errors.js';
import { payloadFromHeader, payloadWithoutHeader } from './payload-hash.js';
import { parseRegionSet, regionSetContains } from './region-set.js';
import { splitTarget } from './request-target.js';
import { SigningKeyCache } from './signing-key.js';
import { PublicKeyCache } from './sigv4a-key.js';
import { VerifiedCache, type VerifiedEntry } from './verified-cache.js';
import type { HeaderMap, ResolvedCredential, SignedRequest, VerifiedIdentity, VerifyOptions } from './types.js';

const DEFAULT_SERVICE = 'vpc-lattice-svcs';
const DEFAULT_SKEW_SECONDS = 300;
const DEFAULT_VERIFIED_CACHE = 10_000;
const MAX_EXPIRES_SECONDS = 604800;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export interface Verifier<C extends ResolvedCredential = ResolvedCredential> {
  verify(request: SignedRequest): Promise<VerifiedIdentity<C>>;
  /**
   * The same check for hot paths: when the credential resolver answers synchronously, the identity
   * comes back directly and a failure is thrown (no promise, no microtask); otherwise a promise.
   * A failure found before the resolver is asked (shape, scope, time) is always thrown.
   */
  verifyDirect(request: SignedRequest): VerifiedIdentity<C> | Promise<VerifiedIdentity<C>>;
}

interface Caches {
  signingKeys: SigningKeyCache;
  publicKeys: PublicKeyCache;
  /** Only a verifier's own: its entries were checked against its options (region, service, resolver). */
  verified?: VerifiedCache;
}

function newCaches(verified = 0): Caches {
  const caches: Caches = { signingKeys: new SigningKeyCache(10_000), publicKeys: new PublicKeyCache(2_000) };
  if (verified > 0) caches.verified = new VerifiedCache(verified);
  return caches;
}

/** A verifier with its own signing-key, SigV4A public-key and verified-request caches. */
export function createVerifier<C extends ResolvedCredential>(options: VerifyOptions<C>): Verifier<C> {
  const caches = newCaches(options.verifiedCacheSize ?? DEFAULT_VERIFIED_CACHE);
  return { verify: (request) => verifyWith(request, options, caches), verifyDirect: (request) => verifyDirect(request, options, caches) };
}

function verifyWith<C extends ResolvedCredential>(request: SignedRequest, options: VerifyOptions<C>, caches: Caches): Promise<VerifiedIdentity<C>> {
  try {
    const result = verifyDirect(request, options, caches);
    return isThenable(result) ? result : Promise.resolve(result);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Sync resolvers skip a microtask: the work before and after resolution runs in one go. */
function verifyDirect<C extends ResolvedCredential>(request: SignedRequest, options: VerifyOptions<C>, caches: Caches): VerifiedIdentity<C> | Promise<VerifiedIdentity<C>> {
  checkAuthority(request.headers);
  const seen = caches.verified?.lookup(request);
  if (seen !== undefined) return verifySeen(request, seen, options, caches);
  const prepared = prepare(request, options);
  const resolved = options.credentials(prepared.fields.accessKeyId, prepared.sessionToken);
  if (isThenable(resolved)) return Promise.resolve(resolved).then((credential) => finish(request, prepared, credential, caches));
  return finish(request, prepared, resolved, caches);
}

/**
 * HTTP/2: the signature covers `host` (or `:authority` when there is no `host`), but servers route
 * by `:authority` (RFC 9113 §8.3.1). A request carrying both, naming different hosts, is malformed;
 * verifying one and serving the other would let a signature made for one service be replayed to
 * another. Checked before the verified-request cache, whose entries compare `host` only.
 */
function checkAuthority(headers: HeaderMap): void {
  const authority = headers[':authority'];
  const host = headers.host;
  if (authority === undefined || host === undefined) return;
  const a = singleValue(authority);
  if (a === undefined || singleValue(host) !== a) throw invalidRequest("The request's 'host' header does not match its ':authority'.");
}


/**
 * A request identical in every signed part to one verified before: the time is checked and the
 * resolver asked again, as for any request; the signature stands only if the secret is unchanged.
 */
function verifySeen<C extends ResolvedCredential>(request: SignedRequest, seen: VerifiedEntry, options: VerifyOptions<C>, caches: Caches): VerifiedIdentity<C> | Promise<VerifiedIdentity<C>> {
  checkTime(seen.fields, seen.signedAt, seen.amzDate, options);
  const sessionToken = firstValue(request.headers, 'x-amz-security-token');
  const resolved = options.credentials(seen.fields.accessKeyId, sessionToken);
  const settle = (credential: C | undefined): VerifiedIdentity<C> => {
    // Both secrets are the server's own (no client-chosen value is compared): plain equality.
    if (credential === undefined || credential.secretAccessKey !== seen.secret) return finish(request, prepare(request, options), credential, caches);
    return identityOf(seen.fields, seen.scope, seen.signedAt, sessionToken, credential);
  };
  return isThenable(resolved) ? Promise.resolve(resolved).then(settle) : settle(resolved);
}

function identityOf<C extends ResolvedCredential>(
  fields: AuthFields,
  scope: VerifiedIdentity['scope'],
  signedAt: number,
  sessionToken: string | undefined,
  credential: C,
): VerifiedIdentity<C> {
  const identity: VerifiedIdentity<C> = {
    accessKeyId: fields.accessKeyId,
    algorithm: fields.algorithm,
    presigned: fields.presigned,
    signedHeaders: fields.signedHeaders,
    scope,
    signedAt: new Date(signedAt),
    credential,
  };
  if (sessionToken !== undefined) identity.sessionToken = sessionToken;
  return identity;
}

const defaultCaches = newCaches();

/** Verifies one request with module-wide caches (keyed by access key and scope; no key holds a secret). */
export function verifyRequest<C extends ResolvedCredential>(request: SignedRequest, options: VerifyOptions<C>): Promise<VerifiedIdentity<C>> {
  return verifyWith(request, options, defaultCaches);
}

function isThenable<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

interface Prepared {
  fields: AuthFields;
  signature: string;
  target: { path: string };
  params: RawParam[];
  amzDate: string;
  signedAt: number;
  regionSet: string[] | undefined;
  canonicalHeaders: string;
  payloads: string[];
  sessionToken: string | undefined;
}

/** Everything that needs no secret: shape, scope, time, canonical headers, payload hash. */
function prepare(request: SignedRequest, options: VerifyOptions<ResolvedCredential>): Prepared {
  const headers = request.headers;
  const target = splitTarget(request.url);
  const params = parseQuery(target.query);
  const { fields, signature } = readFields(headers, params);
  if (hasAmbiguousDotSegments(target.path)) {
    throw invalidRequest("The path mixes '..' with a percent-encoded dot segment ('%2E'); signers and servers resolve it differently, so it is refused.");
  }
  const service = options.service ?? DEFAULT_SERVICE;

  const amzDate = fields.presigned ? fields.amzDate! : headerDate(headers, fields);
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) throw incomplete(`Date must be in ISO-8601 'basic format'. Got ${quote(amzDate)}. See http://en.wikipedia.org/wiki/ISO_8601`);
  checkScope(fields, amzDate, service, options.region);
  const regionSet = fields.algorithm === 'AWS4-ECDSA-P256-SHA256' ? checkRegionSet(fields, headers, options.region) : undefined;
  checkTime(fields, signedAt, amzDate, options);

  const canonicalHeaders = buildCanonicalHeaders(fields, headers, options.requireContentSha256 ?? true);
  const payloads = payloadCandidates(fields, headers, request.bodySha256);
  const sessionToken = fields.presigned ? fields.securityToken ?? firstValue(headers, 'x-amz-security-token') : firstValue(headers, 'x-amz-security-token');
  return { fields, signature, target, params, amzDate, signedAt, regionSet, canonicalHeaders, payloads, sessionToken };
}

function finish<C extends ResolvedCredential>(request: SignedRequest, p: Prepared, credential: C | undefined, caches: Caches): VerifiedIdentity<C> {
  if (credential === undefined) throw new SigV4Error('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (typeof credential.secretAccessKey !== 'string') throw new TypeError('The credential resolver returned no secretAccessKey string.');
  const { fields, regionSet, signedAt, sessionToken } = p;
  const matches = signatureChecker(fields, p.signature, credential.secretAccessKey, caches);
  if (!anyCandidateMatches(request.method, p.target.path, p.params, fields, p.canonicalHeaders, p.payloads, p.amzDate, matches)) {
    throw invalidSignature(MISMATCH);
  }
  // Frozen: a remembered request's later identities share it.
  const scope = Object.freeze(
    regionSet
      ? { date: fields.scopeDate, regionSet: Object.freeze(regionSet) as string[], service: fields.scopeService }
      : { date: fields.scopeDate, region: fields.scopeRegion!, service: fields.scopeService },
  );
  caches.verified?.remember(request, { fields, amzDate: p.amzDate, signedAt, secret: credential.secretAccessKey, scope });
  return identityOf(fields, scope, signedAt, sessionToken, credential);
}

function readFields(headers: HeaderMap, params: readonly RawParam[]): ParsedAuth {
  const authz = headers.authorization;
  const queryAuth = hasQueryAuth(params);
  if (authz !== undefined) {
    if (queryAuth) throw invalidRequest("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.");
    if (typeof authz !== 'string' && authz.length !== 1) throw incomplete('The request has more than one Authorization header.');
    return parseAuthorizationHeader(typeof authz === 'string' ? authz : authz[0]!);
  }
  if (queryAuth) return parseQueryAuth(params);
  throw new SigV4Error('MissingAuthenticationTokenException', 'Missing Authentication Token');
}

function single(headers: HeaderMap, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined || typeof v === 'string') return v;
  if (v.length > 1) throw incomplete(`The request has more than one '${name}' header.`);
  return v[0];
}

/** X-Amz-Date, or the HTTP Date header converted to basic format; whichever is used must be signed. */
function headerDate(headers: HeaderMap, fields: AuthFields): string {
  const amz = single(headers, 'x-amz-date');
  if (amz !== undefined) {
    if (!fields.signedHeaders.includes('x-amz-date')) throw incomplete("'x-amz-date' must be a signed header (listed in SignedHeaders).");
    return amz;
  }
  const date = single(headers, 'date');
  if (date === undefined) throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (!fields.signedHeaders.includes('date')) throw incomplete("'date' must be a signed header (listed in SignedHeaders).");
  const converted = httpDateToAmzDate(date);
  if (converted === undefined) throw incomplete(`The 'Date' header is not a valid HTTP date: ${quote(date)}.`);
  return converted;
}

function checkScope(fields: AuthFields, amzDate: string, service: string, region: string): void {
  if (fields.scopeDate.length !== 8 || !amzDate.startsWith(fields.scopeDate)) {
    throw invalidSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ${quote(fields.scopeDate)} != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  if (fields.scopeRegion !== undefined && fields.scopeRegion !== region) {
    throw invalidSignature(`Credential should be scoped to a valid region, not ${quote(fields.scopeRegion)}; this node serves '${region}'.`);
  }
  if (fields.scopeService !== service) throw invalidSignature(`Credential should be scoped to correct service: '${service}'.`);
  if (fields.terminator !== 'aws4_request') throw invalidSignature(`Credential should be scoped with a valid terminator: 'aws4_request', not ${quote(fields.terminator)}.`);
}

function checkRegionSet(fields: AuthFields, headers: HeaderMap, region: string): string[] {
  let text = fields.regionSet;
  if (!fields.presigned) {
    const v = headers['x-amz-region-set'];
    if (v === undefined) throw incomplete("AWS4-ECDSA-P256-SHA256 requires the 'x-amz-region-set' header.");
    if (!fields.signedHeaders.includes('x-amz-region-set')) throw incomplete("'x-amz-region-set' must be a signed header (listed in SignedHeaders).");
    text = canonicalValue(v);
  }
  const entries = parseRegionSet(text!);
  if (!regionSetContains(entries, region)) throw invalidSignature(`The region set ${quote(text!)} does not include this node's region '${region}'.`);
  return entries;
}

function checkTime(fields: AuthFields, signedAt: number, amzDate: string, options: VerifyOptions<ResolvedCredential>): void {
  const now = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
  const skewMs = (options.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS) * 1000;
  const minutes = `${(skewMs / 60000).toString()} min.`;
  if (signedAt - now > skewMs) {
    throw invalidRequest(`Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + skewMs)} (${formatAmzDate(now)} + ${minutes})`);
  }
  if (!fields.presigned) {
    if (now - signedAt > skewMs) {
      throw invalidRequest(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - skewMs)} (${formatAmzDate(now)} - ${minutes})`);
    }
    return;
  }
  const text = fields.expires!;
  const expires = /^[0-9]{1,7}$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(expires) || expires < 1) throw incomplete(`X-Amz-Expires must be a positive whole number of seconds, got ${quote(text)}.`);
  if (expires > MAX_EXPIRES_SECONDS) throw invalidRequest('X-Amz-Expires must be less than a week (in seconds) that is 604800.');
  if (now > signedAt + expires * 1000) throw invalidRequest(`Request has expired: signed at ${amzDate} for ${expires} seconds, now ${formatAmzDate(now)}.`);
}

/** The `name:value\n` lines for the signed headers, enforcing which must be signed and present. */
function buildCanonicalHeaders(fields: AuthFields, headers: HeaderMap, requireContentSha256: boolean): string {
  const names = fields.signedHeaders;
  if (!names.includes('host')) throw incomplete("'host' must be a signed header (listed in SignedHeaders).");
  if (requireContentSha256 && !fields.presigned && !names.includes('x-amz-content-sha256')) {
    const present = headers['x-amz-content-sha256'] !== undefined;
    throw incomplete(present ? "'x-amz-content-sha256' must be a signed header (listed in SignedHeaders)." : "The request requires the 'x-amz-content-sha256' header, signed.");
  }
  if (fields.presigned && headers['x-amz-content-sha256'] !== undefined && !names.includes('x-amz-content-sha256')) {
    throw incomplete("'x-amz-content-sha256' must be a signed header (listed in X-Amz-SignedHeaders).");
  }
  let out = '';
  for (const name of names) {
    const v = headerValue(headers, name);
    if (v === undefined) throw incomplete(`SignedHeaders names ${quote(name)}, but the request has no such header.`);
    out += name + ':' + canonicalValue(v) + '\n';
  }
  return out;
}

function payloadCandidates(fields: AuthFields, headers: HeaderMap, bodySha256: string | undefined): string[] {
  const header = single(headers, 'x-amz-content-sha256');
  if (header !== undefined) return [payloadFromHeader(header, bodySha256)];
  const out = payloadWithoutHeader(fields.presigned, headers, bodySha256);
  if (out.length === 0) {
    throw invalidSignature("The body's SHA-256 is needed to verify this signature: send 'x-amz-content-sha256', or the server must pass bodySha256.");
  }
  return out;
}

type Matcher = (sts: string) => boolean;

function signatureChecker(fields: AuthFields, signature: string, secret: string, caches: Caches): Matcher {
  if (fields.algorithm === 'AWS4-HMAC-SHA256') {
    const given = hexSignature(signature, 64, signatureScratch);
    if (given === undefined) return () => false;
    const key = caches.signingKeys.get(fields.accessKeyId, secret, fields.scopeDate, fields.scopeRegion!, fields.scopeService);
    return (sts) => {
      key.signInto(sts, expectedScratch);
      return timingSafeEqual(expectedScratch, given);
    };
  }
  const der = hexSignature(signature, 0);
  if (der === undefined) return () => false;
  const publicKey = caches.publicKeys.get(fields.accessKeyId, secret);
  return (sts) => {
    try {
      return ecdsaVerify('sha256', Buffer.from(sts, 'utf8'), publicKey, der);
    } catch {
      return false;
    }
  };
}

/** Holds a SigV4 signature's bytes while one verification runs (it never yields meanwhile). */
const signatureScratch = Buffer.alloc(32);
/** Holds the expected SigV4 signature likewise; it never leaves this module. */
const expectedScratch = Buffer.alloc(32);

/** The signature's bytes when it is lower-case hex (of `length` chars, if non-zero), else undefined. */
function hexSignature(s: string, length: number, into?: Buffer): Buffer | undefined {
  if ((length !== 0 && s.length !== length) || s.length === 0 || s.length % 2 !== 0 || s.length > 1024) return undefined;
  // Buffer's hex decoder stops at the first bad pair, so a full write proves the text is hex.
  if (into !== undefined) return into.write(s, 'hex') === s.length / 2 && s.toLowerCase() === s ? into : undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return undefined;
  }
  return Buffer.from(s, 'hex');
}

function anyCandidateMatches(
  method: string,
  rawPath: string,
  params: readonly RawParam[],
  fields: AuthFields,
  canonicalHeaders: string,
  payloads: readonly string[],
  amzDate: string,
  matches: Matcher,
): boolean {
  const attempt = (path: string, query: string): boolean => {
    for (const payload of payloads) {
      const creq = formatCanonicalRequest(method, path, query, canonicalHeaders, fields.signedHeadersText, payload);
      if (matches(stringToSign(fields.algorithm, amzDate, fields.scope, creq))) return true;
    }
    return false;
  };
  // What nearly every client signs comes first; the other readings are built only if it fails.
  const path = genericPath(rawPath);
  const query = canonicalQuery(params, false, fields.presigned ? isSignature : undefined);
  if (attempt(path, query)) return true;
  const queries = queryCandidates(params, fields.presigned);
  for (const p of pathCandidates(rawPath)) {
    for (const q of queries) if ((p !== path || q !== query) && attempt(p, q)) return true;
  }
  return false;
}

const isSignature = (p: RawParam): boolean => p.key === 'X-Amz-Signature';
const isSignatureOrToken = (p: RawParam): boolean => p.key === 'X-Amz-Signature' || p.key === 'X-Amz-Security-Token';

/** The query readings to try: `+` as `%2B`, then as space; presigned, the token inside the canonical query, then outside. */
function queryCandidates(params: readonly RawParam[], presigned: boolean): string[] {
  const skips = presigned ? (params.some((p) => p.key === 'X-Amz-Security-Token') ? [isSignature, isSignatureOrToken] : [isSignature]) : [undefined];
  const plusModes = hasPlus(params) ? [false, true] : [false];
  const out: string[] = [];
  for (const skip of skips) {
    for (const plus of plusModes) {
      const q = canonicalQuery(params, plus, skip);
      if (!out.includes(q)) out.push(q);
    }
  }
  return out;
}
