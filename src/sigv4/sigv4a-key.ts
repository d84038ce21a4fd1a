/**
 * SigV4A key derivation (the NIST SP 800-108 counter-mode KDF that aws-c-auth and the SDKs use):
 * the ECDSA P-256 private key of an access key is derived from its secret, so the verifier can
 * rebuild the caller's public key. Public keys are cached per access key; an entry remembers
 * which secret made it, so a rotated secret derives a new key.
 */
import { createECDH, createHmac, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const LABEL = 'AWS4-ECDSA-P256-SHA256';
/** Order of the P-256 group, minus 2: the derived scalar plus one must stay below the order. */
const N_MINUS_2 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n - 2n;

export interface SigV4aKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Affine coordinates of the public key, lower-case hex, 32 bytes each. */
  x: string;
  y: string;
}

function fixedInput(accessKeyId: string, counter: number): Buffer {
  const id = Buffer.from(accessKeyId, 'utf8');
  const label = Buffer.from(LABEL, 'ascii');
  const out = Buffer.alloc(4 + label.length + 1 + id.length + 1 + 4);
  let o = out.writeUInt32BE(1, 0);
  o += label.copy(out, o);
  out[o++] = 0;
  o += id.copy(out, o);
  out[o++] = counter;
  out.writeUInt32BE(256, o);
  return out;
}

function derivePrivateScalar(accessKeyId: string, secret: string): Buffer {
  const inputKey = Buffer.from('AWS4A' + secret, 'utf8');
  for (let counter = 1; counter <= 254; counter++) {
    const k0 = hmacBytes(inputKey, fixedInput(accessKeyId, counter));
    const c = BigInt('0x' + k0.toString('hex'));
    if (c <= N_MINUS_2) return Buffer.from((c + 1n).toString(16).padStart(64, '0'), 'hex');
  }
  // 254 rejections in a row has probability ~2^-8000; treat it as the impossible it is.
  throw new Error('SigV4A key derivation exhausted its counter');
}

function hmacBytes(key: Buffer, data: Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

const b64url = (b: Buffer): string => b.toString('base64url');

/** The SigV4A key pair of an access key, as its signers derive it (for tests and tools). */
export function deriveSigV4aKeyPair(accessKeyId: string, secretAccessKey: string): SigV4aKeyPair {
  const d = derivePrivateScalar(accessKeyId, secretAccessKey);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  const x = point.subarray(1, 33);
  const y = point.subarray(33, 65);
  const jwk = { kty: 'EC', crv: 'P-256', x: b64url(x), y: b64url(y) };
  return {
    privateKey: createPrivateKey({ key: { ...jwk, d: b64url(d) }, format: 'jwk' }),
    publicKey: createPublicKey({ key: jwk, format: 'jwk' }),
    x: x.toString('hex'),
    y: y.toString('hex'),
  };
}

export class PublicKeyCache {
  private readonly cache: LRUCache<string, { secret: string; publicKey: KeyObject }>;

  constructor(max: number) {
    this.cache = new LRUCache({ max });
  }

  get(accessKeyId: string, secret: string): KeyObject {
    const hit = this.cache.get(accessKeyId);
    if (hit !== undefined && hit.secret === secret) return hit.publicKey;
    const publicKey = deriveSigV4aKeyPair(accessKeyId, secret).publicKey;
    this.cache.set(accessKeyId, { secret, publicKey });
    return publicKey;
  }
}
