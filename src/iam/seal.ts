/**
 * Sealing: AES-256-GCM with a random 96-bit IV under a key derived from the master key per purpose
 * (HKDF-SHA256), so the master key itself never encrypts anything and a value sealed for one purpose
 * never opens as another. Layout: version (1 byte) | IV (12) | ciphertext | tag (16). The version
 * byte and the purpose label are the additional authenticated data. GCM's tag check is constant time
 * (OpenSSL); any failure is one SealError that does not say which part was wrong.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { SealError } from './errors.js';
import { MASTER_KEY_BYTES } from './master-key.js';

export const SEAL_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = Buffer.from('latticed/seal/v1');
/** The smallest sealed value: an empty plaintext. */
export const SEAL_OVERHEAD = 1 + IV_BYTES + TAG_BYTES;

const derived = new WeakMap<Buffer, Map<string, Buffer>>();

/** The per-purpose AES key; derived once per (master key, purpose) and kept with the key object. */
function purposeKey(masterKey: Buffer, purpose: string): Buffer {
  if (masterKey.length !== MASTER_KEY_BYTES) throw new SealError(`the master key must be ${MASTER_KEY_BYTES} bytes`);
  let byPurpose = derived.get(masterKey);
  if (byPurpose === undefined) derived.set(masterKey, (byPurpose = new Map()));
  let key = byPurpose.get(purpose);
  if (key === undefined) {
    key = Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, Buffer.from(purpose, 'utf8'), 32));
    byPurpose.set(purpose, key);
  }
  return key;
}

function aad(purpose: string): Buffer {
  return Buffer.concat([Buffer.of(SEAL_VERSION), Buffer.from(purpose, 'utf8')]);
}

export function seal(masterKey: Buffer, purpose: string, plaintext: Buffer | string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', purposeKey(masterKey, purpose), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(purpose));
  const body = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(SEAL_VERSION), iv, body, cipher.getAuthTag()]);
}

export function unseal(masterKey: Buffer, purpose: string, sealed: Uint8Array): Buffer {
  if (sealed.length < SEAL_OVERHEAD || sealed[0] !== SEAL_VERSION) throw new SealError();
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.length);
  const iv = buf.subarray(1, 1 + IV_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', purposeKey(masterKey, purpose), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(purpose));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES, buf.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealError();
  }
}
