/**
 * Security review probes of session tokens through the resolver and the verifier's cache: every
 * altered token is refused, the session's facts come from the sealed claims only, and a cached
 * verification never outlives the session, its role or its key.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { createCredentialResolver, mintSessionCredentials } from '../../src/iam/index.js';
import { createVerifier } from '../../src/sigv4/index.js';
import type { IamSnapshot } from '../../src/iam/types.js';
import { NOW, REGION } from '../sigv4/support/sign.js';
import { codeOf } from '../sigv4/support/outcome.js';
import { account, iamSnapshot, newKey, role } from './fixtures.js';

describe('session tokens: tampering and binding', () => {
  const key = newKey();
  const r = role('order-service-role');
  const creds = mintSessionCredentials({ role: r, account, sessionName: 'orders', durationSeconds: 900, now: NOW }, key);
  const resolve = createCredentialResolver(() => iamSnapshot(), key, { now: () => NOW });
  const t = creds.sessionToken;

  it('refuses bit flips, truncation, other alphabets, missing padding and another key', () => {
    const variants = new Set<string>();
    const raw = Buffer.from(t, 'base64');
    for (const i of [0, 1, 13, raw.length >> 1, raw.length - 17, raw.length - 1]) {
      const b = Buffer.from(raw);
      b[i]! ^= 1;
      variants.add(b.toString('base64'));
    }
    variants.add(t.slice(0, -4));
    variants.add(t.replace(/=+$/, ''));
    variants.add(t.replace(/\+/g, '-').replace(/\//g, '_'));
    variants.add(` ${t}`);
    variants.add(t + 'AAAA');
    variants.add(mintSessionCredentials({ role: r, account, sessionName: 'orders', now: NOW }, newKey()).sessionToken);
    variants.delete(t);
    for (const v of variants) expect(codeOf(() => resolve(creds.accessKeyId, v))).toBe('UnrecognizedClientException');
    expect(codeOf(() => resolve(creds.accessKeyId, t))).toBe('accepted');
  });

  it('binds the token to its access key id, and a long-term key refuses any token', () => {
    const other = mintSessionCredentials({ role: r, account, sessionName: 'other', now: NOW }, key);
    expect(codeOf(() => resolve(other.accessKeyId, t))).toBe('UnrecognizedClientException');
    expect(codeOf(() => resolve('AKIAIOSFODNN7EXAMPLE', t))).toBe('UnrecognizedClientException');
  });

  it('expires at the stated second, also once cached', () => {
    let now = NOW;
    const res = createCredentialResolver(() => iamSnapshot(), key, { now: () => now });
    expect(codeOf(() => res(creds.accessKeyId, t))).toBe('accepted');
    now = creds.expiration.getTime() - 1;
    expect(codeOf(() => res(creds.accessKeyId, t))).toBe('accepted');
    now = creds.expiration.getTime();
    expect(codeOf(() => res(creds.accessKeyId, t))).toBe('ExpiredTokenException');
  });

  it('errors never carry the token or the secret', () => {
    const bad = t.slice(0, -8) + 'AAAAAAAA';
    try {
      resolve(creds.accessKeyId, bad);
      throw new Error('accepted');
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(bad.slice(0, 16));
      expect(String((e as Error).message)).not.toContain(creds.secretAccessKey);
    }
  });
});

describe('verified-request cache with the real resolver', () => {
  it('a cached session request is refused once the session expires or its role is removed or re-created', async () => {
    const key = newKey();
    const r = role('order-service-role');
    const creds = mintSessionCredentials({ role: r, account, sessionName: 'orders', durationSeconds: 900, now: NOW - 890_000 }, key);
    let iam: IamSnapshot = iamSnapshot([r]);
    let now = NOW;
    const resolve = createCredentialResolver(() => iam, key, { now: () => now });
    const opts = { region: REGION, credentials: resolve };
    Object.defineProperty(opts, 'now', { get: () => now, enumerable: true });
    const v = createVerifier(opts);
    const signer = new SignatureV4({ credentials: creds, region: REGION, service: 'vpc-lattice-svcs', sha256: Sha256 });
    const host = 'svc.example';
    const s = await signer.sign(new HttpRequest({ method: 'GET', protocol: 'https:', hostname: host, path: '/x', headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }), { signingDate: new Date(NOW) });
    const wire = { method: 'GET', url: '/x', headers: Object.fromEntries(Object.entries(s.headers).map(([k, val]) => [k.toLowerCase(), [val]])) };
    expect(codeOf(() => v.verifyDirect(wire))).toBe('accepted');
    expect(codeOf(() => v.verifyDirect(wire))).toBe('accepted'); // a hit
    iam = iamSnapshot([role('order-service-role', { roleId: 'AROANEWROLEID00000001' })]);
    expect(codeOf(() => v.verifyDirect(wire))).toBe('UnrecognizedClientException');
    iam = iamSnapshot([]);
    expect(codeOf(() => v.verifyDirect(wire))).toBe('UnrecognizedClientException');
    iam = iamSnapshot([r]);
    expect(codeOf(() => v.verifyDirect(wire))).toBe('accepted');
    now = NOW + 10_000; // past the session's expiry, still inside the skew window
    expect(codeOf(() => v.verifyDirect(wire))).toBe('ExpiredTokenException');
  });
});
