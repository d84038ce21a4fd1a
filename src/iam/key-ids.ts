/**
 * Temporary credential material in AWS's shapes: access key ids `ASIA` + 16 characters of AWS's
 * base32 alphabet (A-Z, 2-7), secrets of 40 base64 characters, as STS issues them.
 */
import { randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding; `bytes.length * 8` must be a multiple of 5. */
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32[(acc >>> bits) & 31];
    }
  }
  return out;
}

export const SESSION_KEY_PREFIX = 'ASIA';
export const SESSION_ACCESS_KEY_ID = /^ASIA[A-Z2-7]{16}$/;

export function newSessionAccessKeyId(): string {
  return SESSION_KEY_PREFIX + base32(randomBytes(10));
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}
