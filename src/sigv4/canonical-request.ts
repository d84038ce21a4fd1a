/** The canonical request and string to sign, exactly as the SigV4 / SigV4A specifications lay them out. */
import { hash } from 'node:crypto';
import { canonicalValue, headerValue } from './canonical-headers.js';
import { pathCandidates } from './canonical-path.js';
import { canonicalQuery, parseQuery } from './canonical-query.js';
import { splitTarget } from './request-target.js';
import type { SignedRequest } from './types.js';

/**
 * `canonicalHeaders` is the block of `name:value\n` lines for the signed headers, in
 * SignedHeaders order; `signedHeaders` is the `;`-joined list as sent.
 */
export function formatCanonicalRequest(
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
  return hash('sha256', s, 'hex');
}

/** `scope` is `date/region/service/aws4_request` (SigV4) or `date/service/aws4_request` (SigV4A). */
export function stringToSign(algorithm: string, amzDate: string, scope: string, canonicalRequestText: string): string {
  return `${algorithm}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequestText)}`;
}

/**
 * The canonical request a generic AWS signer (SDKs, botocore, CRT) builds for `request`: path
 * normalised and encoded again, query sorted with `+` read as a literal plus, `X-Amz-Signature`
 * left out. For debugging clients and for tests; verification also tries the other readings.
 * A signed header that is absent is written with an empty value.
 */
export function canonicalRequest(request: SignedRequest, signedHeaders: readonly string[], payloadHash: string): string {
  const target = splitTarget(request.url);
  let headers = '';
  for (const name of signedHeaders) {
    const v = headerValue(request.headers, name);
    headers += name + ':' + (v === undefined ? '' : canonicalValue(v)) + '\n';
  }
  const query = canonicalQuery(parseQuery(target.query), false, (p) => p.key === 'X-Amz-Signature');
  return formatCanonicalRequest(request.method, pathCandidates(target.path)[0]!, query, headers, signedHeaders.join(';'), payloadHash);
}
