/**
 * SigV4 signing keys, HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"),
 * kept in a bounded LRU keyed by (access key, date, region, service); no secret is part of a
 * key. An entry remembers which secret made it, so a rotated secret is never served a stale key.
 * The key is stored as its HMAC inner/outer pads, so each request's HMAC is two one-shot hashes.
 */
import { createHmac, hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
}

/** HMAC-SHA256 with a fixed 32-byte key, precomputed as pads (RFC 2104). */
export class HmacKey {
  private readonly ipad = Buffer.alloc(64, 0x36);
  private readonly opad = Buffer.alloc(64, 0x5c);

  constructor(key: Buffer) {
    for (let i = 0; i < key.length; i++) {
      this.ipad[i]! ^= key[i]!;
      this.opad[i]! ^= key[i]!;
    }
  }

  /**
   * Writes the HMAC of a string into `into` (32 bytes). Digests travel as latin1 ('binary')
   * strings, which Node makes about twice as fast as new Buffers. The scratch buffers are
   * module-wide: safe, because this never yields.
   */
  signInto(data: string, into: Buffer): void {
    const length = Buffer.byteLength(data, 'utf8');
    if (inner.length < 64 + length) inner = Buffer.allocUnsafe(2 * (64 + length));
    this.ipad.copy(inner, 0);
    inner.write(data, 64, 'utf8');
    this.opad.copy(outer, 0);
    outer.write(hash('sha256', inner.subarray(0, 64 + length), 'binary'), 64, 'binary');
    into.write(hash('sha256', outer, 'binary'), 0, 'binary');
  }
}

let inner = Buffer.allocUnsafe(1024);
const outer = Buffer.allocUnsafe(96);

interface Entry {
  accessKeyId: string;
  secret: string;
  date: string;
  region: string;
  service: string;
  key: HmacKey;
}

export class SigningKeyCache {
  private readonly cache: LRUCache<string, Entry>;
  /** The last entry used: consecutive requests from one caller skip the LRU's key building and lookup. */
  private last: Entry | undefined;

  constructor(max: number) {
    this.cache = new LRUCache({ max });
  }

  get(accessKeyId: string, secret: string, date: string, region: string, service: string): HmacKey {
    const last = this.last;
    if (last !== undefined && last.accessKeyId === accessKeyId && last.secret === secret && last.date === date && last.region === region && last.service === service) {
      return last.key;
    }
    const id = `${accessKeyId}/${date}/${region}/${service}`;
    let entry = this.cache.get(id);
    if (entry === undefined || entry.secret !== secret) {
      entry = { accessKeyId, secret, date, region, service, key: new HmacKey(deriveSigningKey(secret, date, region, service)) };
      this.cache.set(id, entry);
    }
    this.last = entry;
    return entry.key;
  }
}
