/** Signs requests with the AWS SDK's own signers and turns them into what a Node server sees. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SignatureV4a } from '@smithy/signature-v4a';
import type { SignedRequest } from '../../../src/sigv4/index.js';

export const REGION = 'us-west-2';
export const SERVICE = 'vpc-lattice-svcs';
export const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
export const NOW = Date.UTC(2026, 10, 29, 6, 0, 0);
export const UNSIGNED = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };

export interface Unsigned {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

export interface SignOptions {
  sessionToken?: string;
  region?: string;
  service?: string;
  at?: number;
  /** Headers the signer must leave unsigned. */
  unsigned?: string[];
}

const escape = (t: string): string => encodeURIComponent(t).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function toHttpRequest(u: Unsigned): HttpRequest {
  return new HttpRequest({
    method: u.method ?? 'GET',
    protocol: 'https:',
    hostname: 'svc-0123456789abcdef0.7d67968.vpc-lattice-svcs.us-west-2.on.aws',
    path: u.path ?? '/',
    query: u.query ?? {},
    headers: { host: 'svc-0123456789abcdef0.7d67968.vpc-lattice-svcs.us-west-2.on.aws', ...UNSIGNED, ...u.headers },
    body: u.body,
  });
}

/** What the SDK's node handler puts on the wire, as `req.headersDistinct` would hold it. */
export function toWire(r: HttpRequest): SignedRequest {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(r.query)) for (const one of Array.isArray(v) ? v : [v]) parts.push(`${escape(k)}=${escape(one as string)}`);
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = [v];
  return { method: r.method, url: parts.length ? `${r.path}?${parts.join('&')}` : r.path, headers };
}

function credentials(o: SignOptions) {
  return o.sessionToken === undefined ? KEY : { ...KEY, sessionToken: o.sessionToken };
}

export async function signV4(u: Unsigned, o: SignOptions = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({ credentials: credentials(o), region: o.region ?? REGION, service: o.service ?? SERVICE, sha256: Sha256 });
  const signed = await signer.sign(toHttpRequest(u), { signingDate: new Date(o.at ?? NOW), unsignableHeaders: new Set(o.unsigned ?? []) });
  return toWire(signed as HttpRequest);
}

export async function presignV4(u: Unsigned, o: SignOptions & { expiresIn?: number } = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({ credentials: credentials(o), region: o.region ?? REGION, service: o.service ?? SERVICE, sha256: Sha256 });
  const signed = await signer.presign(toHttpRequest(u), {
    signingDate: new Date(o.at ?? NOW),
    expiresIn: o.expiresIn ?? 300,
    unhoistableHeaders: new Set(['x-amz-content-sha256']),
  });
  return toWire(signed as HttpRequest);
}

export async function signV4a(u: Unsigned, regionSet: string, o: SignOptions = {}): Promise<SignedRequest> {
  const signer = new SignatureV4a({ credentials: credentials(o), region: regionSet, service: o.service ?? SERVICE, sha256: Sha256 });
  const signed = await signer.sign(toHttpRequest(u), { signingDate: new Date(o.at ?? NOW) });
  return toWire(signed as HttpRequest);
}

/** Replaces (or with `undefined`, removes) headers of a wire request. */
export function withHeaders(r: SignedRequest, changes: Record<string, string | string[] | undefined>): SignedRequest {
  const headers: Record<string, string | readonly string[] | undefined> = { ...r.headers };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return { ...r, headers };
}
