/**
 * The resolver as the SigV4 verifier uses it: requests signed by @smithy/signature-v4 with minted
 * session credentials (header and presigned forms) verify to the role session; a tampered, expired
 * or foreign token is rejected with AWS's code before any signature is compared.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { createVerifier, SigV4Error } from '../../src/sigv4/index.js';
import { createCredentialResolver, mintSessionCredentials, type LatticeCredential } from '../../src/iam/index.js';
import { account, ACCOUNT, iamSnapshot, newKey, role, USER_KEY, USER_SECRET } from './fixtures.js';

const REGION = 'us-west-2';
const SERVICE = 'vpc-lattice-svcs';
const HOST = 'inventory-0123456789abcdef0.7d67968.vpc-lattice-svcs.us-west-2.on.aws';

interface Creds { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

function request(): HttpRequest {
  return new HttpRequest({
    method: 'GET', protocol: 'http:', hostname: HOST, path: '/api/stock', query: { sku: 'a1' },
    headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  });
}

function asSigned(r: HttpRequest) {
  const q = Object.entries(r.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: r.method, url: q === '' ? r.path : `${r.path}?${q}`, headers };
}

const signer = (c: Creds) => new SignatureV4({ credentials: c, region: REGION, service: SERVICE, sha256: Sha256 });
const signHeader = async (c: Creds) => asSigned((await signer(c).sign(request())) as HttpRequest);
const presign = async (c: Creds) =>
  asSigned((await signer(c).presign(request(), { expiresIn: 300, unhoistableHeaders: new Set(['x-amz-content-sha256']) })) as HttpRequest);

function setup() {
  const key = newKey();
  const iam = iamSnapshot();
  const r = role('order-service-role');
  const verifier = createVerifier<LatticeCredential>({ region: REGION, credentials: createCredentialResolver(() => iam, key) });
  const mint = (extra: Record<string, unknown> = {}, k = key) =>
    mintSessionCredentials({ role: r, account, sessionName: 'orders-1', ...extra }, k);
  return { verifier, mint };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SigV4Error);
    return (e as SigV4Error).code;
  }
  return 'verified';
}

describe('SigV4 verification with latticed credentials', () => {
  it('a session-signed request (header and presigned) verifies to the assumed role', async () => {
    const { verifier, mint } = setup();
    const m = mint();
    for (const signed of [await signHeader(m), await presign(m)]) {
      const v = await verifier.verify(signed);
      expect(v.accessKeyId).toBe(m.accessKeyId);
      expect(v.sessionToken).toBe(m.sessionToken);
      expect(v.credential.identity.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/orders-1`);
    }
  });

  it('an IAM user key verifies to the user', async () => {
    const { verifier } = setup();
    const v = await verifier.verify(await signHeader({ accessKeyId: USER_KEY, secretAccessKey: USER_SECRET }));
    expect(v.credential.identity.type).toBe('User');
  });

  it('rejects a tampered, foreign, expired or key-mismatched token, and a wrong secret', async () => {
    const { verifier, mint } = setup();
    const m = mint();
    const t = m.sessionToken;
    const tampered = { ...m, sessionToken: t.slice(0, 20) + (t[20] === 'A' ? 'B' : 'A') + t.slice(21) };
    expect(await code(verifier.verify(await signHeader(tampered)))).toBe('UnrecognizedClientException');
    expect(await code(verifier.verify(await signHeader(mint({}, newKey()))))).toBe('UnrecognizedClientException');
    const other = mint();
    expect(await code(verifier.verify(await signHeader({ ...other, sessionToken: m.sessionToken, secretAccessKey: m.secretAccessKey })))).toBe('UnrecognizedClientException');
    expect(await code(verifier.verify(await signHeader({ ...m, secretAccessKey: other.secretAccessKey })))).toBe('InvalidSignatureException');
    // Issued 2 hours ago for 900 s: signed now, so only the token's expiry is wrong.
    const expired = mint({ durationSeconds: 900, now: Date.now() - 7200_000 });
    expect(await code(verifier.verify(await signHeader(expired)))).toBe('ExpiredTokenException');
  });

  it('rejects a session token sent with a long-term key', async () => {
    const { verifier, mint } = setup();
    const c = { accessKeyId: USER_KEY, secretAccessKey: USER_SECRET, sessionToken: mint().sessionToken };
    expect(await code(verifier.verify(await signHeader(c)))).toBe('UnrecognizedClientException');
  });
});
