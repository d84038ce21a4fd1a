/**
 * SigV4 signing keys, HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request"),
 * kept in a bounded LRU. Entries are keyed by a SHA-256 digest of the secret, never the secret.
 */
import { createHmac, hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** A digest that identifies a secret in cache keys without revealing it. */
export function secretDigest(secret: string): string {
  return hash('sha256', secret, 'base64');
}

export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
}

export class SigningKeyCache {
  private readonly cache: LRUCache<string, Buffer>;

  constructor(max: number) {
    this.cache = new LRUCache({ max });
  }

  get(digest: string, secret: string, date: string, region: string, service: string): Buffer {
    const key = `${digest}/${date}/${region}/${service}`;
    let k = this.cache.get(key);
    if (k === undefined) {
      k = deriveSigningKey(secret, date, region, service);
      this.cache.set(key, k);
    }
    return k;
  }
}
