/**
 * Property-based tests: random requests signed by the AWS SDK's signer verify, and any one-character
 * change is refused; garbage in Authorization, the query, the target and the headers only ever
 * produces a SigV4Error, never another exception and never an acceptance.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SigV4Error, verifyRequest, type HeaderMap, type SignedRequest } from '../../src/sigv4/index.js';
import { options, TOKEN } from './support/options.js';
import { KEY, NOW, presignV4, signV4, signV4a } from './support/sign.js';

/**
 * Resolves the test key with any session token, sync or async, so that mostly the signature
 * refuses. (The access key itself is not signed: only the resolver can refuse a changed one.)
 */
const anyKey = (async: boolean) =>
  options({
    credentials: (id) => {
      const found = id === KEY.accessKeyId ? { secretAccessKey: KEY.secretAccessKey } : undefined;
      return async ? Promise.resolve(found) : found;
    },
  });

async function outcome(r: SignedRequest, async = false): Promise<'accepted' | string> {
  try {
    await verifyRequest(r, anyKey(async));
    return 'accepted';
  } catch (e) {
    if (e instanceof SigV4Error) return e.code;
    throw e;
  }
}

/** SDK serializers percent-encode path segments before signing; the signer then encodes again. */
const strictEncode = (t: string): string => encodeURIComponent(t).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const segment = fc
  .string({ minLength: 1, maxLength: 8 })
  .filter((s) => s !== '.' && s !== '..')
  .map(strictEncode);
const text = fc.string({ maxLength: 12 });
const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,10}$/);
const headerValue = fc.stringMatching(/^[!-~]([ -~]{0,14}[!-~])?$/);

const unsignedRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
  path: fc.array(segment, { maxLength: 4 }).map((s) => '/' + s.join('/')),
  query: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })), { maxKeys: 4 }),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
});

type Where = 'url' | 'authorization' | 'header';

/** Replaces one character with one that differs beyond case (case alone is equivalent in %XX escapes). */
function mutate(s: string, at: number, to: string): string | undefined {
  const i = at % s.length;
  const ch = s[i]!;
  const repl = to.toLowerCase() === ch.toLowerCase() ? (ch.toLowerCase() === 'q' ? 'z' : 'q') : to;
  return s.slice(0, i) + repl + s.slice(i + 1);
}

function applyMutation(r: SignedRequest, where: Where, pick: number, at: number, to: string): SignedRequest | undefined {
  if (where === 'url') {
    const target = mutate(r.url, at, to);
    return target === undefined ? undefined : { ...r, url: target };
  }
  const headers: Record<string, string | readonly string[] | undefined> = { ...r.headers };
  const authz = String(headers.authorization ?? '');
  const signed = authz ? /SignedHeaders=([^,]+)/.exec(authz)![1]!.split(';') : ['host'];
  const name = where === 'authorization' && authz ? 'authorization' : signed[pick % signed.length]!;
  const value = [...(headers[name] as readonly string[])];
  const v = mutate(value[0]!, at, to);
  if (v === undefined) return undefined;
  value[0] = v;
  headers[name] = value;
  return { ...r, headers };
}

const mutation = fc.record({
  where: fc.constantFrom<Where>('url', 'authorization', 'header'),
  pick: fc.nat(),
  at: fc.nat(),
  to: fc.constantFrom('a', 'Z', '0', '7', '%', '/', '-', '~', 'q'),
});

describe('signed random requests', () => {
  it('SigV4 header auth: verifies, and refuses any one-character change', async () => {
    await fc.assert(
      fc.asyncProperty(unsignedRequest, mutation, fc.boolean(), async (u, m, withToken) => {
        const r = await signV4(u, withToken ? { sessionToken: TOKEN } : {});
        expect(await outcome(r)).toBe('accepted');
        const changed = applyMutation(r, m.where, m.pick, m.at, m.to);
        if (changed !== undefined) expect(await outcome(changed, true)).not.toBe('accepted');
      }),
      { numRuns: 250 },
    );
  });

  it('presigned URLs: verify, and refuse any one-character change of the URL', async () => {
    await fc.assert(
      fc.asyncProperty(unsignedRequest, fc.nat(), fc.constantFrom('a', 'Z', '0', '%', '/'), async (u, at, to) => {
        const r = await presignV4({ ...u, method: 'GET', headers: {} });
        expect(await outcome(r)).toBe('accepted');
        expect(await outcome({ ...r, url: mutate(r.url, at, to)! })).not.toBe('accepted');
      }),
      { numRuns: 150 },
    );
  });

  it('SigV4A: verifies, and refuses any one-character change', async () => {
    await fc.assert(
      fc.asyncProperty(unsignedRequest, mutation, async (u, m) => {
        const r = await signV4a(u, '*');
        expect(await outcome(r)).toBe('accepted');
        const changed = applyMutation(r, m.where, m.pick, m.at, m.to);
        if (changed !== undefined) expect(await outcome(changed)).not.toBe('accepted');
      }),
      { numRuns: 60 },
    );
  });
});

const datePart = fc.constantFrom('20261129', '20261128', '2026112', 'x', '');
const garbageAuthorization = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc
    .tuple(
      fc.constantFrom('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256', 'AWS4-HMAC-SHA512', ''),
      fc.array(fc.oneof(text, datePart, fc.constantFrom('us-west-2', 'vpc-lattice-svcs', 'aws4_request', KEY.accessKeyId)), { maxLength: 6 }),
      fc.array(fc.oneof(headerName, fc.constantFrom('host', 'x-amz-date', 'x-amz-content-sha256', '')), { maxLength: 5 }),
      fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.stringMatching(/^[0-9a-fA-F]{0,150}$/), text),
      fc.constantFrom(', ', ',', ' , ', ',,'),
    )
    .map(([alg, cred, signed, sig, sep]) => `${alg} Credential=${cred.join('/')}${sep}SignedHeaders=${signed.join(';')}${sep}Signature=${sig}`),
);

const garbageHeaders = fc.dictionary(
  fc.oneof(fc.constantFrom('host', ':authority', 'x-amz-date', 'date', 'x-amz-content-sha256', 'x-amz-security-token', 'x-amz-region-set', 'content-length', 'transfer-encoding'), headerName),
  fc.oneof(fc.constant(undefined), text, fc.array(text, { maxLength: 3 }), fc.constantFrom('20261129T060000Z', 'UNSIGNED-PAYLOAD', 'Sun, 29 Nov 2026 06:00:00 GMT')),
  { maxKeys: 6 },
) as fc.Arbitrary<HeaderMap>;

const queryField = fc.constantFrom('X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token', 'X-Amz-Region-Set');
const garbageQuery = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc
    .array(
      fc.tuple(fc.oneof(queryField, text), fc.oneof(text, fc.constantFrom('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256', '20261129T060000Z', '604801', '300', 'host', '%', '%zz', '%E1%88'))),
      { maxLength: 8 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
);

describe('garbage never yields anything but a SigV4Error', () => {
  it('in Authorization (with plausible headers)', async () => {
    await fc.assert(
      fc.asyncProperty(garbageAuthorization, garbageHeaders, async (authorization, extra) => {
        const r: SignedRequest = {
          method: 'GET',
          url: '/',
          headers: { host: 'h', 'x-amz-date': '20261129T060000Z', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...extra, authorization },
        };
        expect(await outcome(r)).not.toBe('accepted');
      }),
      { numRuns: 500 },
    );
  });

  it('in the query (presigned fields)', async () => {
    await fc.assert(
      fc.asyncProperty(garbageQuery, garbageHeaders, fc.boolean(), async (query, headers, async) => {
        expect(await outcome({ method: 'GET', url: `/p?${query}`, headers: { host: 'h', ...headers } }, async)).not.toBe('accepted');
      }),
      { numRuns: 500 },
    );
  });

  it('in the target, method and header shapes', async () => {
    const signed = await signV4({ query: { a: 'b' } });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.string({ maxLength: 8 }), garbageHeaders, async (url, method, extra) => {
        const r: SignedRequest = { method, url, headers: { ...signed.headers, ...extra } };
        // The signed target is `/?a=b` with GET; anything else must be refused.
        if (url === signed.url && method === 'GET') return;
        expect(await outcome(r)).not.toBe('accepted');
      }),
      { numRuns: 500 },
    );
  });

  it('from the clock: any now outside the window refuses, inside accepts', async () => {
    const r = await signV4({});
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -900_000, max: 900_000 }), async (offset) => {
        const result = await verifyRequest(r, options({ now: NOW + offset })).then(
          () => 'accepted',
          (e: unknown) => (e instanceof SigV4Error ? e.code : 'other'),
        );
        expect(result).toBe(Math.abs(offset) <= 300_000 ? 'accepted' : 'InvalidRequestException');
      }),
      { numRuns: 200 },
    );
  });
});
