/**
 * Which payload hash the canonical request may carry. With an `x-amz-content-sha256` header it
 * is that value (a digest is checked against `bodySha256` when the caller computed one). Without
 * it, the signer hashed the body itself, so the body's hash must be known: given as `bodySha256`,
 * or the empty body's, when the HTTP/1.1 framing headers prove there is no body. Presigned URLs
 * may also have signed `UNSIGNED-PAYLOAD`.
 */
import { invalidRequest, invalidSignature } from './errors.js';
import type { HeaderMap } from './types.js';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function isSha256Hex(s: string): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** True when HTTP/1.1 framing proves the request has no body (RFC 9112 §6.3). HTTP/2 never proves it. */
export function bodyKnownEmpty(headers: HeaderMap): boolean {
  if (headers[':method'] !== undefined || headers[':authority'] !== undefined) return false;
  if (headers['transfer-encoding'] !== undefined) return false;
  const cl = headers['content-length'];
  if (cl === undefined) return true;
  const v = typeof cl === 'string' ? cl : cl.length === 1 ? cl[0] : undefined;
  return v !== undefined && v.trim() === '0';
}

export function payloadFromHeader(value: string, bodySha256: string | undefined): string {
  if (value === UNSIGNED_PAYLOAD) return value;
  if (isSha256Hex(value)) {
    if (bodySha256 !== undefined && bodySha256 !== value) {
      throw invalidSignature('The provided x-amz-content-sha256 header does not match what was computed.');
    }
    return value;
  }
  if (value.startsWith('STREAMING-')) throw invalidRequest(`x-amz-content-sha256 ${JSON.stringify(value.slice(0, 64))} (chunked signing) is not supported; use UNSIGNED-PAYLOAD or the body's SHA-256.`);
  throw invalidRequest("x-amz-content-sha256 must be 'UNSIGNED-PAYLOAD' or the lower-case hex SHA-256 of the body.");
}

/** Candidates when there is no x-amz-content-sha256 header; empty when none can be known. */
export function payloadWithoutHeader(presigned: boolean, headers: HeaderMap, bodySha256: string | undefined): string[] {
  const out: string[] = presigned ? [UNSIGNED_PAYLOAD] : [];
  if (bodySha256 !== undefined) out.push(bodySha256);
  else if (bodyKnownEmpty(headers)) out.push(EMPTY_SHA256);
  return out;
}
