/**
 * Signs a suite request with @smithy/signature-v4a (a real third-party SigV4A signer), for the
 * two aws-c-auth v4a folders that ship only context.json and request.txt (no expected output).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4a } from '@smithy/signature-v4a';
import type { CrtCase, VectorCase } from './vectors.js';
import { parseHttpText, sha256Hex } from './http-text.js';

/** Header form only: @smithy/signature-v4a has no presign. */
export async function signWithSmithyV4a(c: CrtCase): Promise<VectorCase> {
  const http = parseHttpText(c.request);
  const [path, rawQuery] = http.url.split('?') as [string, string | undefined];
  const query: Record<string, string | string[]> = {};
  for (const pair of rawQuery ? rawQuery.split('&') : []) {
    const [k, v = ''] = pair.split('=').map(decodeURIComponent) as [string, string?];
    const seen = query[k];
    query[k] = seen === undefined ? v : [...(Array.isArray(seen) ? seen : [seen]), v];
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(http.headers)) headers[k] = v.join(',');
  const ctx = c.context;
  const signer = new SignatureV4a({
    credentials: { accessKeyId: ctx.credentials.access_key_id, secretAccessKey: ctx.credentials.secret_access_key },
    region: ctx.region,
    service: ctx.service,
    sha256: Sha256,
  });
  const request = new HttpRequest({ method: http.method, protocol: 'https:', hostname: headers.host!, path, query, headers, body: http.body });
  const signingDate = new Date(ctx.timestamp);
  const signed = (await signer.sign(request, { signingDate })) as HttpRequest;
  const escape = (t: string): string => encodeURIComponent(t).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(signed.query)) for (const one of Array.isArray(v) ? v : [v]) parts.push(`${escape(k)}=${escape(one as string)}`);
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(signed.headers)) out[k.toLowerCase()] = [v];
  const vc: VectorCase = {
    suite: 'aws-c-auth',
    name: `${c.id} (signed by @smithy/signature-v4a)`,
    mode: 'header',
    algorithm: 'AWS4-ECDSA-P256-SHA256',
    request: { method: signed.method, url: parts.length ? `${signed.path}?${parts.join('&')}` : signed.path, headers: out, bodySha256: sha256Hex(http.body) },
    accessKeyId: ctx.credentials.access_key_id,
    secretAccessKey: ctx.credentials.secret_access_key,
    now: signingDate.getTime(),
    region: ctx.region,
    service: ctx.service,
  };
  return vc;
}
