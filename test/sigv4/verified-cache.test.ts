/**
 * The verifier's memory of verified requests: a repeat of a signed request skips the signature
 * computation, and nothing else. A hit is visible as the identity sharing the first verification's
 * frozen scope object; every other test checks that a hit never accepts what a full check refuses.
 */
import { describe, expect, it } from 'vitest';
import { SigV4Error, createVerifier, type ResolvedCredential, type SignedRequest, type VerifyOptions } from '../../src/sigv4/index.js';
import { options, TOKEN } from './support/options.js';
import { codeOf } from './support/outcome.js';
import { KEY, NOW, presignV4, signV4, signV4a, withHeaders } from './support/sign.js';

type Resolved = ResolvedCredential | undefined;

/** A verifier whose resolver answers `answer()` (re-read on every call) and counts its calls. */
function verifierWith(answer: () => Resolved, extra: Partial<VerifyOptions> = {}) {
  let calls = 0;
  const credentials = () => {
    calls++;
    return answer();
  };
  const v = createVerifier({ ...options(), credentials, ...extra });
  return { v, calls: () => calls };
}

const valid = (): Resolved => ({ secretAccessKey: KEY.secretAccessKey });

function direct(v: ReturnType<typeof createVerifier>, r: SignedRequest) {
  const out = v.verifyDirect(r);
  if (out instanceof Promise) throw new Error('expected a synchronous answer');
  return out;
}

describe('verified-request cache', () => {
  it('serves a repeated header-signed request without recomputing, and still asks the resolver each time', async () => {
    const { v, calls } = verifierWith(valid);
    const r = await signV4({ path: '/api/stock' });
    const first = direct(v, r);
    const second = direct(v, r);
    expect(second.scope).toBe(first.scope);
    expect(Object.isFrozen(second.scope)).toBe(true);
    expect(second.signedAt).not.toBe(first.signedAt);
    expect(second).toMatchObject({ accessKeyId: KEY.accessKeyId, algorithm: 'AWS4-HMAC-SHA256', presigned: false });
    expect(calls()).toBe(2);
  });

  it('is off with verifiedCacheSize 0', async () => {
    const { v } = verifierWith(valid, { verifiedCacheSize: 0 });
    const r = await signV4({});
    expect(direct(v, r).scope).not.toBe(direct(v, r).scope);
  });

  it('never lends a signature to a request that differs in a signed part', async () => {
    const { v } = verifierWith(valid);
    const r = await signV4({ method: 'GET', path: '/api/stock', query: { a: '1' }, headers: { 'x-team': 'orders' } });
    direct(v, r);
    const variants: SignedRequest[] = [
      { ...r, method: 'POST' },
      { ...r, url: '/api/admin?a=1' },
      { ...r, url: '/api/stock?a=2' },
      withHeaders(r, { 'x-team': ['payments'] }),
      withHeaders(r, { 'x-team': ['orders', 'payments'] }),
      withHeaders(r, { host: ['evil.example'] }),
      withHeaders(r, { 'x-amz-content-sha256': ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'] }),
    ];
    for (const variant of variants) expect(codeOf(() => direct(v, variant))).toBe('InvalidSignatureException');
    // A body hash the caller computed is part of what was verified, too.
    expect(codeOf(() => direct(v, { ...r, bodySha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }))).toBe('accepted');
    // Headers outside the signature may change, as without the cache.
    expect(direct(v, withHeaders(r, { 'user-agent': ['other/1.0'] })).accessKeyId).toBe(KEY.accessKeyId);
  });

  it('refuses a repeat once the resolver no longer knows the key, or says the token expired', async () => {
    let answer: () => Resolved = valid;
    const { v } = verifierWith(() => answer());
    const r = await signV4({});
    direct(v, r);
    answer = () => undefined;
    expect(codeOf(() => direct(v, r))).toBe('UnrecognizedClientException');
    answer = () => {
      throw new SigV4Error('ExpiredTokenException', 'The security token included in the request is expired');
    };
    expect(codeOf(() => direct(v, r))).toBe('ExpiredTokenException');
    answer = valid;
    expect(codeOf(() => direct(v, r))).toBe('accepted');
  });

  it('checks a repeat against the secret the resolver gives now: a rotated secret refuses it', async () => {
    let secret = KEY.secretAccessKey;
    const { v } = verifierWith(() => ({ secretAccessKey: secret }));
    const r = await signV4({});
    direct(v, r);
    secret = 'rotated/SECRETKEY0000000000000000000000000';
    expect(codeOf(() => direct(v, r))).toBe('InvalidSignatureException');
    secret = KEY.secretAccessKey;
    expect(codeOf(() => direct(v, r))).toBe('accepted');
  });

  it('checks the time of every repeat: past the skew window it is refused', async () => {
    let now = NOW;
    const base = { ...options(), credentials: valid };
    Object.defineProperty(base, 'now', { get: () => now, enumerable: true });
    const v = createVerifier(base);
    const r = await signV4({});
    direct(v, r);
    now = NOW + 301_000;
    const e = (() => {
      try {
        direct(v, r);
      } catch (err) {
        return err as SigV4Error;
      }
      throw new Error('accepted');
    })();
    expect(e.code).toBe('InvalidRequestException');
    expect(e.message).toContain('Signature expired');
  });

  it('passes the session token of the repeat to the resolver', async () => {
    const seen: (string | undefined)[] = [];
    const v = createVerifier({ ...options(), credentials: (_id, token) => (seen.push(token), token === TOKEN ? valid() : undefined) });
    const r = await signV4({}, { sessionToken: TOKEN });
    direct(v, r);
    expect(direct(v, r).sessionToken).toBe(TOKEN);
    expect(seen).toEqual([TOKEN, TOKEN]);
  });

  it('works with an asynchronous resolver', async () => {
    const v = createVerifier({ ...options(), credentials: async () => valid() });
    const r = await signV4({});
    const first = await v.verifyDirect(r);
    const second = v.verifyDirect(r);
    expect(second).toBeInstanceOf(Promise);
    expect((await second).scope).toBe(first.scope);
  });

  it('remembers SigV4A too, and never presigned URLs or requests signed without x-amz-date', async () => {
    const { v } = verifierWith(valid);
    const a = await signV4a({}, 'us-west-2');
    expect(direct(v, a).scope).toBe(direct(v, a).scope);
    const p = await presignV4({});
    expect(direct(v, p).scope).not.toBe(direct(v, p).scope);
  });
});
