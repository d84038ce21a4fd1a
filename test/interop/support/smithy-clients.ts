/**
 * Clients built from the AWS SDK for JavaScript v3 signers, sending what they signed the way
 * the SDK's node handler does (path as given, query rebuilt with strict RFC 3986 escaping).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SignatureV4a } from '@smithy/signature-v4a';
import { REGION, SERVICE, type ClientCredentials } from './keys.js';
import { splitTarget, UNSIGNED_PAYLOAD, type InteropRequest } from './requests.js';
import { send, type Reply } from './send.js';

type Query = Record<string, string | string[]>;

const escape = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** What @smithy/querystring-builder does: keys in insertion order, repeated keys repeated. */
function buildQueryString(query: Query): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) parts.push(`${escape(key)}=${escape(one)}`);
  }
  return parts.join('&');
}

export function toHttpRequest(origin: string, request: InteropRequest): HttpRequest {
  const { hostname, port, host } = new URL(origin);
  const { path, query } = splitTarget(request.target);
  const grouped: Query = {};
  for (const [key, value] of query) {
    const seen = grouped[key];
    grouped[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return new HttpRequest({
    method: request.method,
    protocol: 'http:',
    hostname,
    port: Number(port),
    path,
    query: grouped,
    headers: { host, ...request.headers, ...UNSIGNED_PAYLOAD },
    body: request.body,
  });
}

export function sendSigned(origin: string, signed: HttpRequest): Promise<Reply> {
  const query = buildQueryString(signed.query as Query);
  const target = query === '' ? signed.path : `${signed.path}?${query}`;
  return send(origin, target, { method: signed.method, headers: signed.headers, body: signed.body as string | undefined });
}

export const sigV4Signer = (credentials: ClientCredentials, region = REGION, service = SERVICE): SignatureV4 =>
  new SignatureV4({ credentials, region, service, sha256: Sha256 });

export async function smithySigV4(origin: string, request: InteropRequest, credentials: ClientCredentials): Promise<Reply> {
  return sendSigned(origin, (await sigV4Signer(credentials).sign(toHttpRequest(origin, request))) as HttpRequest);
}

/** The header stays a signed header (Lattice requires it); without this, presign would hoist it into the query. */
export const keepContentSha256Header = new Set(['x-amz-content-sha256']);

export async function smithyPresigned(origin: string, request: InteropRequest, credentials: ClientCredentials): Promise<Reply> {
  const presigned = await sigV4Signer(credentials).presign(toHttpRequest(origin, request), {
    expiresIn: 300,
    unhoistableHeaders: keepContentSha256Header,
  });
  return sendSigned(origin, presigned as HttpRequest);
}

/** presign as the SDK does it by default: `x-amz-content-sha256` hoisted into the signed query. */
export async function smithyPresignedHoisted(origin: string, request: InteropRequest, credentials: ClientCredentials): Promise<Reply> {
  return sendSigned(origin, (await sigV4Signer(credentials).presign(toHttpRequest(origin, request), { expiresIn: 300 })) as HttpRequest);
}

/** A SigV4A client signing for `regionSet` (`*`, a list, or a pattern such as `us-*`). */
export const smithySigV4a =
  (regionSet: string) =>
  async (origin: string, request: InteropRequest, credentials: ClientCredentials): Promise<Reply> => {
    const signer = new SignatureV4a({ credentials, region: regionSet, service: SERVICE, sha256: Sha256 });
    return sendSigned(origin, (await signer.sign(toHttpRequest(origin, request), {})) as HttpRequest);
  };
