/**
 * Audit of the canonical request: a signature made over one request must not be accepted for a
 * request that latticed's data plane (and so the policy and the target) reads as another.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { normalizeTarget } from '../../src/dataplane/normalize-path.js';
import { formatCanonicalRequest, stringToSign } from '../../src/sigv4/canonical-request.js';
import { deriveSigningKey } from '../../src/sigv4/signing-key.js';
import type { SignedRequest } from '../../src/sigv4/index.js';
import { rejection, verify } from './support/options.js';
import { KEY, NOW, REGION, SERVICE, presignV4, signV4, signV4a } from './support/sign.js';

/** The path the data plane authorizes and forwards for a request target. */
function dataPlanePath(target: string): string {
  const out = { path: '', query: '' };
  const error = normalizeTarget(target, out);
  if (error !== undefined) throw new Error(`${target}: ${error}`);
  return out.path;
}

function withTarget(r: SignedRequest, url: string): SignedRequest {
  return { ...r, url };
}

describe('percent-encoded dot segments next to ".." (generic path reading)', () => {
  // The SDKs remove dot segments without decoding `%2E`, so `..` pops `%2E` as an ordinary segment;
  // the data plane decodes `%2E` first (RFC 3986), so there `..` pops one more real segment.
  const replays = [
    ['/p1/p2/p3', '/p1/p2/%2E/../p3', '/p1/p3'],
    ['/p1/p2/p3', '/p1/p2/%2e%2e/../p3', '/p3'],
    ['/p1/p2/p3', '/p1/p2/.%2E/../p3', '/p3'],
    ['/api/stock/admin', '/api/stock/%2E%2E/../admin', '/admin'],
  ] as const;

  it.each(replays)('a signature for %s is not accepted for %s (the data plane reads %s)', async (signed, sent, read) => {
    expect(dataPlanePath(sent)).toBe(read);
    const header = await signV4({ path: signed });
    await expect(verify(header)).resolves.toBeDefined();
    expect((await rejection(withTarget(header, sent))).statusCode).toBeGreaterThanOrEqual(400);

    const presigned = await presignV4({ path: signed });
    await expect(verify(presigned)).resolves.toBeDefined();
    const url = presigned.url.replace(signed, sent);
    expect(url).not.toBe(presigned.url);
    expect((await rejection(withTarget(presigned, url))).statusCode).toBeGreaterThanOrEqual(400);

    const v4a = await signV4a({ path: signed }, '*');
    await expect(verify(v4a)).resolves.toBeDefined();
    expect((await rejection(withTarget(v4a, sent))).statusCode).toBeGreaterThanOrEqual(400);
  });

  it('the refusal says why, with a 400', async () => {
    const e = await rejection(withTarget(await signV4({ path: '/p1/p2/p3' }), '/p1/p2/%2E/../p3'));
    expect(e.code).toBe('InvalidRequestException');
    expect(e.message).toContain('dot segment');
  });

  it('still verifies SDK-signed paths with only raw dot segments, or only encoded ones', async () => {
    for (const path of ['/a/x/../b', '/a/./b/', '/a/%2E%2E/b', '/a/%2e/./b', '/a/b%2E%2E/../c', '/a/..%2Ex/../c']) {
      await expect(verify(await signV4({ path })), path).resolves.toBeDefined();
    }
  });
});

/** A signature over `canonicalUri` as a signer would compute it (no normalisation of ours). */
function signCanonicalUri(method: string, target: string, canonicalUri: string): SignedRequest {
  const amzDate = new Date(NOW).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const host = 'svc-0123456789abcdef0.7d67968.vpc-lattice-svcs.us-west-2.on.aws';
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  const headers = `host:${host}\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:${amzDate}\n`;
  const creq = formatCanonicalRequest(method, canonicalUri, '', headers, signedHeaders, 'UNSIGNED-PAYLOAD');
  const scope = `${date}/${REGION}/${SERVICE}/aws4_request`;
  const key = deriveSigningKey(KEY.secretAccessKey, date, REGION, SERVICE);
  const signature = createHmac('sha256', key).update(stringToSign('AWS4-HMAC-SHA256', amzDate, scope, creq)).digest('hex');
  return {
    method,
    url: target,
    headers: {
      host,
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
  };
}

describe('the path-as-sent reading and %25', () => {
  it('a signature for /files/my%20doc (SDK: /files/my%2520doc) is not accepted for /files/my%2520doc', async () => {
    expect(dataPlanePath('/files/my%20doc')).not.toBe(dataPlanePath('/files/my%2520doc'));
    const r = await signV4({ path: '/files/my%20doc' });
    await expect(verify(r)).resolves.toBeDefined();
    expect((await rejection(withTarget(r, '/files/my%2520doc'))).code).toBe('InvalidSignatureException');
    const presigned = await presignV4({ path: '/files/my%20doc' });
    expect((await rejection(withTarget(presigned, presigned.url.replace('my%20doc', 'my%2520doc')))).code).toBe('InvalidSignatureException');
  });

  it('SDK-signed paths holding %25 still verify (the generic reading)', async () => {
    await expect(verify(await signV4({ path: '/files/100%25/a%2520b' }))).resolves.toBeDefined();
  });

  it('signers that sign the path as sent still verify when it holds no %25', async () => {
    await expect(verify(signCanonicalUri('GET', '/files/report%202024.pdf', '/files/report%202024.pdf'))).resolves.toBeDefined();
    await expect(verify(signCanonicalUri('GET', '//x//', '//x//'))).resolves.toBeDefined();
  });
});
