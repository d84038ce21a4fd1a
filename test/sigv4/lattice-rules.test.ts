/** Lattice's rules on top of the SigV4 spec, with requests signed by the AWS SDK's signers. */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SigV4Error, canonicalRequest, createVerifier, stringToSign, type SignedRequest } from '../../src/sigv4/index.js';
import { options, rejection, TOKEN, verify } from './support/options.js';
import { KEY, NOW, presignV4, signV4, signV4a, withHeaders } from './support/sign.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('x-amz-content-sha256', () => {
  it('accepts UNSIGNED-PAYLOAD, signed', async () => {
    const id = await verify(await signV4({}));
    expect(id.signedHeaders).toContain('x-amz-content-sha256');
  });

  it('is required by default, and the error names it', async () => {
    const r = withHeaders(await signV4({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, { unsigned: ['x-amz-content-sha256'] }), {
      'x-amz-content-sha256': undefined,
    });
    const e = await rejection(r);
    expect(e.code).toBe('IncompleteSignatureException');
    expect(e.message).toContain('x-amz-content-sha256');
  });

  it('must be signed when present', async () => {
    const e = await rejection(await signV4({}, { unsigned: ['x-amz-content-sha256'] }));
    expect(e.code).toBe('IncompleteSignatureException');
    expect(e.message).toContain("'x-amz-content-sha256' must be a signed header");
  });

  it('requireContentSha256: false accepts a generic signer without it, hashing the body the caller gives', async () => {
    const body = '{"a":1}';
    const headers = { 'x-amz-content-sha256': sha(body), 'content-length': String(body.length) };
    const r = withHeaders(await signV4({ method: 'POST', body, headers }, { unsigned: ['x-amz-content-sha256'] }), {
      'x-amz-content-sha256': undefined,
    });
    await expect(verify({ ...r, bodySha256: sha(body) }, { requireContentSha256: false })).resolves.toBeDefined();
    const e = await rejection(r, { requireContentSha256: false });
    expect(e.code).toBe('InvalidSignatureException');
    expect(e.message).toContain('bodySha256');
  });

  it('a real body hash is checked against bodySha256 when the caller computed it', async () => {
    const body = 'hello';
    const r = await signV4({ method: 'PUT', body, headers: { 'x-amz-content-sha256': sha(body) } });
    await expect(verify(r)).resolves.toBeDefined();
    await expect(verify({ ...r, bodySha256: sha(body) })).resolves.toBeDefined();
    const e = await rejection({ ...r, bodySha256: sha('tampered') });
    expect(e.code).toBe('InvalidSignatureException');
    expect(e.message).toContain('x-amz-content-sha256');
  });

  it('refuses chunked (STREAMING-*) signing and malformed values', async () => {
    for (const value of ['STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'not-a-hash', 'ABCDEF']) {
      const e = await rejection(await signV4({ headers: { 'x-amz-content-sha256': value } }));
      expect(e.code).toBe('InvalidRequestException');
    }
  });
});

describe('required signed headers', () => {
  it('host must be signed', async () => {
    const e = await rejection(await signV4({}, { unsigned: ['host'] }));
    expect([e.code, e.message]).toEqual(['IncompleteSignatureException', "'host' must be a signed header (listed in SignedHeaders)."]);
  });

  it('x-amz-date must be signed', async () => {
    const e = await rejection(await signV4({}, { unsigned: ['x-amz-date'] }));
    expect(e.code).toBe('IncompleteSignatureException');
    expect(e.message).toContain("'x-amz-date' must be a signed header");
  });

  it('a date is required', async () => {
    const e = await rejection(withHeaders(await signV4({}), { 'x-amz-date': undefined }));
    expect(e.message).toContain("either a 'X-Amz-Date' or a 'Date' header");
  });

  it('a header named in SignedHeaders but absent is IncompleteSignatureException naming it', async () => {
    const r = withHeaders(await signV4({ headers: { 'x-custom-thing': 'v' } }), { 'x-custom-thing': undefined });
    const e = await rejection(r);
    expect(e.code).toBe('IncompleteSignatureException');
    expect(e.message).toContain('"x-custom-thing"');
  });
});

describe('session tokens', () => {
  it('a signed token goes to the resolver and into the identity', async () => {
    const id = await verify(await signV4({}, { sessionToken: TOKEN }));
    expect(id.sessionToken).toBe(TOKEN);
    expect(id.signedHeaders).toContain('x-amz-security-token');
  });

  it('an unsigned token (sts-header-after) still goes to the resolver', async () => {
    const r = withHeaders(await signV4({}), { 'x-amz-security-token': 'some-other-token' });
    const e = await rejection(r);
    expect(e.code).toBe('UnrecognizedClientException');
    const ok = withHeaders(await signV4({}), { 'x-amz-security-token': TOKEN });
    expect((await verify(ok)).sessionToken).toBe(TOKEN);
  });

  it('resolver errors (ExpiredTokenException) pass through unchanged', async () => {
    const r = await signV4({}, { sessionToken: TOKEN });
    const e = await rejection(r, {
      credentials: () => {
        throw new SigV4Error('ExpiredTokenException', 'The security token included in the request is expired');
      },
    });
    expect([e.code, e.statusCode]).toEqual(['ExpiredTokenException', 403]);
  });

  it('an unknown access key is UnrecognizedClientException', async () => {
    const e = await rejection(await signV4({}), { credentials: () => undefined });
    expect([e.code, e.statusCode]).toEqual(['UnrecognizedClientException', 403]);
  });
});

describe('credential scope', () => {
  it('the region must be the node region', async () => {
    const e = await rejection(await signV4({}, { region: 'eu-west-1' }));
    expect(e.code).toBe('InvalidSignatureException');
    expect(e.message).toContain('valid region');
  });

  it('the service must be the configured one', async () => {
    const e = await rejection(await signV4({}, { service: 'execute-api' }));
    expect(e.message).toBe("Credential should be scoped to correct service: 'vpc-lattice-svcs'.");
    await expect(verify(await signV4({}, { service: 'execute-api' }), { service: 'execute-api' })).resolves.toBeDefined();
  });

  it('the date must be the date of X-Amz-Date, and the terminator aws4_request', async () => {
    const r = await signV4({});
    const authz = String(r.headers.authorization);
    const wrongDate = withHeaders(r, { authorization: authz.replace('/20261129/', '/20261128/') });
    expect((await rejection(wrongDate)).message).toContain('Date in Credential scope does not match');
    const wrongTerm = withHeaders(r, { authorization: authz.replace('/aws4_request', '/aws5_request') });
    expect((await rejection(wrongTerm)).message).toContain("valid terminator: 'aws4_request'");
  });
});

describe('time', () => {
  it('allows 300 s of skew either way by default, and is configurable', async () => {
    const r = await signV4({});
    await expect(verify(r, { now: NOW + 300_000 })).resolves.toBeDefined();
    await expect(verify(r, { now: NOW - 300_000 })).resolves.toBeDefined();
    expect((await rejection(r, { now: NOW + 301_000 })).message).toMatch(/^Signature expired/);
    expect((await rejection(r, { now: NOW - 301_000 })).message).toMatch(/^Signature not yet current/);
    const e = await rejection(r, { now: NOW + 61_000, clockSkewSeconds: 60 });
    expect([e.code, e.statusCode]).toEqual(['InvalidRequestException', 400]);
  });

  it('presigned URLs live X-Amz-Expires seconds, at most 7 days', async () => {
    const r = await presignV4({}, { expiresIn: 3600 });
    await expect(verify(r, { now: NOW + 3600_000 })).resolves.toMatchObject({ presigned: true });
    expect((await rejection(r, { now: NOW + 3601_000 })).code).toBe('InvalidRequestException');
    const week = await presignV4({}, { expiresIn: 604800 });
    await expect(verify(week, { now: NOW + 604800_000 })).resolves.toBeDefined();
    const tooLong = { ...week, url: week.url.replace('X-Amz-Expires=604800', 'X-Amz-Expires=604801') };
    const e = await rejection(tooLong);
    expect([e.code, e.message]).toEqual(['InvalidRequestException', 'X-Amz-Expires must be less than a week (in seconds) that is 604800.']);
  });
});

describe('presigned URLs', () => {
  it('verifies with the token inside the canonical query', async () => {
    const id = await verify(await presignV4({ query: { a: 'b' } }, { sessionToken: TOKEN }));
    expect(id).toMatchObject({ presigned: true, sessionToken: TOKEN });
  });

  it('honours headers listed in X-Amz-SignedHeaders', async () => {
    const r = await presignV4({ headers: { 'x-custom': 'v' } });
    await expect(verify(r)).resolves.toBeDefined();
    expect((await rejection(withHeaders(r, { 'x-custom': 'w' }))).code).toBe('InvalidSignatureException');
    expect((await rejection(withHeaders(r, { 'x-custom': undefined }))).code).toBe('IncompleteSignatureException');
  });

  it('refuses an Authorization header and query authentication together', async () => {
    const r = await presignV4({});
    const both = withHeaders(r, { authorization: String((await signV4({})).headers.authorization) });
    expect((await rejection(both)).code).toBe('InvalidRequestException');
  });

  it('refuses repeated auth parameters', async () => {
    const r = await presignV4({});
    const e = await rejection({ ...r, url: `${r.url}&X-Amz-Date=20261129T060000Z` });
    expect(e.message).toBe("Query parameter 'X-Amz-Date' appears more than once.");
  });
});

describe('SigV4A region sets', () => {
  for (const set of ['*', 'us-west-2', 'us-east-1,us-west-2', 'us-*', '*-west-*']) {
    it(`accepts region set ${set}`, async () => {
      const id = await verify(await signV4a({}, set));
      expect(id.scope).toEqual({ date: '20261129', regionSet: set.split(','), service: 'vpc-lattice-svcs' });
      expect(id.algorithm).toBe('AWS4-ECDSA-P256-SHA256');
    });
  }

  for (const set of ['eu-west-1', 'us-east-*', 'us-west-2a']) {
    it(`refuses region set ${set}, which does not hold us-west-2`, async () => {
      const e = await rejection(await signV4a({}, set));
      expect(e.code).toBe('InvalidSignatureException');
      expect(e.message).toContain('region set');
    });
  }

  it('the region set header must be signed', async () => {
    const r = await signV4a({}, '*');
    const authz = String(r.headers.authorization).replace(';x-amz-region-set', '');
    const e = await rejection(withHeaders(r, { authorization: authz }));
    expect(e.message).toContain("'x-amz-region-set' must be a signed header");
  });
});

describe('request forms', () => {
  it('takes the host from HTTP/2 :authority, keeping a non-default port', async () => {
    const r = await signV4({ headers: { host: 'svc.example:8443' } });
    const h2 = withHeaders(r, { host: undefined, ':authority': 'svc.example:8443' });
    await expect(verify(h2)).resolves.toBeDefined();
    expect((await rejection(withHeaders(r, { host: 'svc.example' }))).code).toBe('InvalidSignatureException');
  });

  it('joins repeated headers with commas: arrays verify, a value joined with ", " does not', async () => {
    const r = await signV4({ headers: { 'x-multi': 'a,b' } });
    await expect(verify(withHeaders(r, { 'x-multi': ['a', 'b'] }))).resolves.toBeDefined();
    expect((await rejection(withHeaders(r, { 'x-multi': 'a, b' }))).code).toBe('InvalidSignatureException');
  });

  it('accepts an absolute-form target', async () => {
    const r = await signV4({ path: '/a/b', query: { x: '1' } });
    await expect(verify({ ...r, url: `http://svc.example${r.url}` })).resolves.toBeDefined();
  });

  it('reads a literal + in the query as %2B first, then as a space', async () => {
    const plus = await signV4({ query: { q: 'a+b' } });
    await expect(verify({ ...plus, url: plus.url.replace('%2B', '+') })).resolves.toBeDefined();
    const space = await signV4({ query: { q: 'a b' } });
    await expect(verify({ ...space, url: space.url.replace('%20', '+') })).resolves.toBeDefined();
  });

  it('sorts repeated keys by value and keeps empty values', async () => {
    const r = await signV4({ query: { k: ['z', 'a', ''], e: '' } });
    await expect(verify(r)).resolves.toBeDefined();
  });

  it('verifies paths that need normalising and double encoding, or the path as sent', async () => {
    await expect(verify(await signV4({ path: '/a/./b/../c//d' }))).resolves.toBeDefined();
    await expect(verify(await signV4({ path: '/arn%3Aaws%3Alambda/x' }))).resolves.toBeDefined();
  });
});

describe('errors', () => {
  it('never echo the secret, derived keys or the expected signature', async () => {
    const r = await signV4({});
    const authz = String(r.headers.authorization);
    const signature = /Signature=([0-9a-f]{64})/.exec(authz)![1]!;
    const wrong = withHeaders(r, { authorization: authz.replace(signature, '0'.repeat(64)) });
    const e = await rejection(wrong);
    expect(e.code).toBe('InvalidSignatureException');
    expect(e.message).not.toContain(KEY.secretAccessKey);
    expect(e.message).not.toContain(signature);
    expect(e.message).not.toMatch(/[0-9a-f]{64}/);
  });

  it('refuse an upper-case hex signature (no conforming signer makes one)', async () => {
    const r = await signV4({});
    const authz = String(r.headers.authorization);
    const upper = authz.replace(/Signature=([0-9a-f]{64})/, (_m, sig: string) => `Signature=${sig.toUpperCase()}`);
    expect((await rejection(withHeaders(r, { authorization: upper }))).code).toBe('InvalidSignatureException');
  });

  it('carry AWS codes and statuses', async () => {
    const e = await rejection(withHeaders(await signV4({}), { authorization: 'AWS4-HMAC-SHA256 Credential=x' }));
    expect([e.code, e.statusCode, e.name]).toEqual(['IncompleteSignatureException', 400, 'SigV4Error']);
    const none = await rejection({ method: 'GET', url: '/', headers: { host: 'h' } });
    expect([none.code, none.statusCode]).toEqual(['MissingAuthenticationTokenException', 403]);
  });
});

describe('caches', () => {
  it('a rotated secret is used at once (keys are cached per secret digest)', async () => {
    const r = await signV4({});
    await expect(verify(r)).resolves.toBeDefined();
    const rotated = options({ credentials: () => ({ secretAccessKey: 'rotated-secret' }) });
    const { verifyRequest } = await import('../../src/sigv4/index.js');
    await expect(verifyRequest(r, rotated)).rejects.toMatchObject({ code: 'InvalidSignatureException' });
  });

  it('createVerifier verifies repeatedly with its own caches', async () => {
    const { createVerifier } = await import('../../src/sigv4/index.js');
    const v = createVerifier(options());
    const r = await signV4({});
    const a = await signV4a({}, '*');
    for (let i = 0; i < 3; i++) {
      await expect(v.verify(r)).resolves.toMatchObject({ algorithm: 'AWS4-HMAC-SHA256' });
      await expect(v.verify(a)).resolves.toMatchObject({ algorithm: 'AWS4-ECDSA-P256-SHA256' });
    }
  });
});

describe('the HTTP Date header in place of x-amz-date', () => {
  /** A hand-made signature over `date` (no SDK signs with Date); the HMAC chain is computed here. */
  function signWithDate(date: string, amzDate: string): SignedRequest {
    const headers = { host: 'svc.example', date, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    const request: SignedRequest = { method: 'GET', url: '/d', headers };
    const signed = ['date', 'host', 'x-amz-content-sha256'];
    const scope = `${amzDate.slice(0, 8)}/us-west-2/vpc-lattice-svcs/aws4_request`;
    const sts = stringToSign('AWS4-HMAC-SHA256', amzDate, scope, canonicalRequest(request, signed, 'UNSIGNED-PAYLOAD'));
    const h = (k: string | Buffer, d: string): Buffer => createHmac('sha256', k).update(d).digest();
    const key = h(h(h(h(`AWS4${KEY.secretAccessKey}`, amzDate.slice(0, 8)), 'us-west-2'), 'vpc-lattice-svcs'), 'aws4_request');
    const authorization = `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${h(key, sts).toString('hex')}`;
    return { ...request, headers: { ...headers, authorization } };
  }

  it('verifies, the time read from Date', async () => {
    const id = await verify(signWithDate('Sun, 29 Nov 2026 06:00:00 GMT', '20261129T060000Z'));
    expect(id.signedAt.getTime()).toBe(NOW);
  });

  it('refuses a Date that is not signed, or not a date', async () => {
    const r = signWithDate('Sun, 29 Nov 2026 06:00:00 GMT', '20261129T060000Z');
    const authz = String(r.headers.authorization).replace('SignedHeaders=date;', 'SignedHeaders=');
    expect((await rejection(withHeaders(r, { authorization: authz }))).message).toContain("'date' must be a signed header");
    expect((await rejection(withHeaders(r, { date: 'yesterday' }))).code).toBe('IncompleteSignatureException');
  });
});

describe('verifyDirect, the hot-path form', () => {
  it('returns the identity itself, and throws the SigV4Error itself, when the resolver is synchronous', async () => {
    const v = createVerifier(options());
    const r = await signV4({});
    const id = v.verifyDirect(r);
    expect(id).not.toBeInstanceOf(Promise);
    expect((id as Awaited<typeof id>).accessKeyId).toBe(KEY.accessKeyId);
    expect(() => v.verifyDirect(withHeaders(r, { 'x-amz-date': '20150830T123601Z' }))).toThrow(SigV4Error);
  });

  it('returns a promise when the resolver is asynchronous', async () => {
    const sync = options();
    const v = createVerifier({ ...sync, credentials: async (id, token) => sync.credentials(id, token) });
    const r = await signV4({});
    const pending = v.verifyDirect(r);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toMatchObject({ accessKeyId: KEY.accessKeyId });
    const authz = String([r.headers.authorization].flat()[0]);
    const tampered = withHeaders(r, { authorization: authz.slice(0, -1) + (authz.endsWith('0') ? '1' : '0') });
    await expect(v.verifyDirect(tampered)).rejects.toMatchObject({ code: 'InvalidSignatureException' });
    // What is wrong before any secret is needed (shape, scope, time) is thrown at once either way.
    expect(() => v.verifyDirect(withHeaders(r, { 'x-amz-date': '20150830T123601Z' }))).toThrow(SigV4Error);
  });
});
