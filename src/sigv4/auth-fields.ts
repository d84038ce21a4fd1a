/**
 * Reads the signature's fields from the `Authorization` header or from the X-Amz-* query
 * parameters, checking their shape only; meaning (scope, time, signature) is checked later.
 */
import { incomplete, quote } from './errors.js';
import type { RawParam } from './canonical-query.js';
import type { SigningAlgorithm } from './types.js';

export interface AuthFields {
  algorithm: SigningAlgorithm;
  presigned: boolean;
  accessKeyId: string;
  /** The credential scope after the access key, e.g. `20150830/us-east-1/service/aws4_request`. */
  scope: string;
  scopeDate: string;
  /** SigV4 only. */
  scopeRegion: string | undefined;
  scopeService: string;
  terminator: string;
  /** As sent, `;`-joined. */
  signedHeadersText: string;
  signedHeaders: string[];
  /** Query authentication only. */
  amzDate?: string;
  expires?: string;
  regionSet?: string;
  securityToken?: string;
}

/** The fields, and the signature apart: the fields repeat across a client's requests, the signature never does. */
export interface ParsedAuth {
  fields: AuthFields;
  signature: string;
}

const V4 = 'AWS4-HMAC-SHA256';
const V4A = 'AWS4-ECDSA-P256-SHA256';

function algorithmOf(name: string): SigningAlgorithm {
  if (name === V4 || name === V4A) return name;
  throw incomplete(`Unsupported AWS 'algorithm': ${quote(name)}; expected 'AWS4-HMAC-SHA256' or 'AWS4-ECDSA-P256-SHA256'.`);
}

function splitCredential(credential: string, algorithm: SigningAlgorithm, where: string) {
  const parts = credential.split('/');
  const want = algorithm === V4 ? 5 : 4;
  if (parts.length !== want || parts.includes('')) {
    const shape = algorithm === V4 ? 'keyid/date/region/service/aws4_request' : 'keyid/date/service/aws4_request';
    throw incomplete(`${where} must have exactly ${want} slash-delimited elements, e.g. ${shape}, got ${quote(credential)}.`);
  }
  const accessKeyId = parts[0]!;
  return {
    accessKeyId,
    scope: credential.slice(accessKeyId.length + 1),
    scopeDate: parts[1]!,
    scopeRegion: algorithm === V4 ? parts[2] : undefined,
    scopeService: parts[want - 2]!,
    terminator: parts[want - 1]!,
  };
}

function splitSignedHeaders(text: string, where: string): string[] {
  const names = text.split(';');
  for (const n of names) if (n === '') throw incomplete(`${where} contains an empty header name: ${quote(text)}.`);
  return names;
}

/**
 * Parsed `Authorization` texts up to `Signature=`, which repeat from one request of a client to
 * the next (same key, day, scope and header list). Bounded: emptied when full. Holds no secret.
 */
const prefixes = new Map<string, AuthFields>();
const MAX_PREFIXES = 4096;

/** `Authorization: ALGORITHM Credential=..., SignedHeaders=..., Signature=...` (any order, spaces optional). */
export function parseAuthorizationHeader(value: string): ParsedAuth {
  const at = value.lastIndexOf('Signature=');
  const tail = at < 0 ? '' : value.slice(at + 10);
  // Only the common layout, Signature last and alone, is memoised; anything else is parsed in full.
  const memoisable = at > 0 && tail.indexOf(',') < 0 && tail.indexOf(' ') < 0 && tail !== '';
  const prefix = memoisable ? value.slice(0, at) : '';
  if (memoisable) {
    const hit = prefixes.get(prefix);
    if (hit !== undefined) return { fields: hit, signature: tail };
  }
  const parsed = parseAuthorization(value);
  if (memoisable && parsed.signature === tail) {
    if (prefixes.size >= MAX_PREFIXES) prefixes.clear();
    Object.freeze(parsed.fields.signedHeaders);
    prefixes.set(prefix, Object.freeze(parsed.fields));
  }
  return parsed;
}

function parseAuthorization(value: string): ParsedAuth {
  const space = value.indexOf(' ');
  if (space < 0) throw incomplete(`Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters after the algorithm.`);
  const algorithm = algorithmOf(value.slice(0, space));
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  let start = space + 1;
  while (start < value.length) {
    let end = value.indexOf(',', start);
    if (end < 0) end = value.length;
    while (start < end && value.charCodeAt(start) === 32) start++;
    let stop = end;
    while (stop > start && value.charCodeAt(stop - 1) === 32) stop--;
    if (stop > start) {
      const eq = value.indexOf('=', start);
      const key = eq < 0 || eq > stop ? value.slice(start, stop) : value.slice(start, eq);
      const v = eq < 0 || eq > stop ? '' : value.slice(eq + 1, stop);
      if (key === 'Credential' && credential === undefined) credential = v;
      else if (key === 'SignedHeaders' && signedHeaders === undefined) signedHeaders = v;
      else if (key === 'Signature' && signature === undefined) signature = v;
      else if (key === 'Credential' || key === 'SignedHeaders' || key === 'Signature') throw incomplete(`Authorization header has '${key}' more than once.`);
      else throw incomplete(`Authorization header has an unknown parameter ${quote(key)}.`);
    }
    start = end + 1;
  }
  if (credential === undefined) throw incomplete("Authorization header requires 'Credential' parameter.");
  if (signedHeaders === undefined) throw incomplete("Authorization header requires 'SignedHeaders' parameter.");
  if (signature === undefined) throw incomplete("Authorization header requires 'Signature' parameter.");
  const fields: AuthFields = {
    algorithm,
    presigned: false,
    ...splitCredential(credential, algorithm, 'Credential'),
    signedHeadersText: signedHeaders,
    signedHeaders: splitSignedHeaders(signedHeaders, 'SignedHeaders'),
  };
  return { fields, signature };
}

const QUERY_FIELDS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Region-Set',
]);

/** Is this query request trying query authentication at all? */
export function hasQueryAuth(params: readonly RawParam[]): boolean {
  for (const p of params) if (p.key === 'X-Amz-Algorithm' || p.key === 'X-Amz-Signature' || p.key === 'X-Amz-Credential') return true;
  return false;
}

function decode(value: string, key: string): string {
  if (value.indexOf('%') < 0) return value;
  try {
    // A bare `+` stays a `+` (session tokens are base64), as the canonical query reads it first.
    return decodeURIComponent(value);
  } catch {
    throw incomplete(`Query parameter '${key}' is not validly percent-encoded.`);
  }
}

/** The X-Amz-* query parameters of a presigned URL. */
export function parseQueryAuth(params: readonly RawParam[]): ParsedAuth {
  const found = new Map<string, string>();
  for (const p of params) {
    if (!QUERY_FIELDS.has(p.key)) continue;
    if (found.has(p.key)) throw incomplete(`Query parameter '${p.key}' appears more than once.`);
    found.set(p.key, decode(p.value, p.key));
  }
  const need = (key: string): string => {
    const v = found.get(key);
    if (v === undefined) throw incomplete(`AWS query-string parameters must include '${key}'.`);
    return v;
  };
  const algorithm = algorithmOf(need('X-Amz-Algorithm'));
  const credential = need('X-Amz-Credential');
  const signedHeadersText = need('X-Amz-SignedHeaders');
  const signature = need('X-Amz-Signature');
  const amzDate = need('X-Amz-Date');
  const expires = need('X-Amz-Expires');
  const fields: AuthFields = {
    algorithm,
    presigned: true,
    ...splitCredential(credential, algorithm, 'X-Amz-Credential'),
    signedHeadersText,
    signedHeaders: splitSignedHeaders(signedHeadersText, 'X-Amz-SignedHeaders'),
    amzDate,
    expires,
  };
  const token = found.get('X-Amz-Security-Token');
  if (token !== undefined) fields.securityToken = token;
  const regionSet = found.get('X-Amz-Region-Set');
  if (regionSet !== undefined) fields.regionSet = regionSet;
  if (algorithm === V4A && regionSet === undefined) throw incomplete("AWS query-string parameters must include 'X-Amz-Region-Set' for AWS4-ECDSA-P256-SHA256.");
  return { fields, signature };
}
