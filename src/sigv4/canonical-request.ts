/** The canonical request and string to sign, exactly as the SigV4 / SigV4A specifications lay them out. */
import { createHash } from 'node:crypto';

/**
 * `canonicalHeaders` is the block of `name:value\n` lines for the signed headers, in
 * SignedHeaders order; `signedHeaders` is the `;`-joined list as sent.
 */
export function canonicalRequest(
  method: string,
  canonicalUri: string,
  canonicalQuery: string,
  canonicalHeaders: string,
  signedHeaders: string,
  payloadHash: string,
): string {
  return `${method}\n${canonicalUri}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/** `scope` is `date/region/service/aws4_request` (SigV4) or `date/service/aws4_request` (SigV4A). */
export function stringToSign(algorithm: string, amzDate: string, scope: string, canonicalRequestText: string): string {
  return `${algorithm}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequestText)}`;
}
