/** The one-change variants of a signed vector request that must be rejected. */
import type { SignedRequest } from '../../../src/sigv4/index.js';
import type { VectorCase } from './vectors.js';

type Headers = Record<string, string[]>;

function headersOf(r: SignedRequest): Headers {
  const out: Headers = {};
  for (const [k, v] of Object.entries(r.headers)) if (v !== undefined) out[k] = typeof v === 'string' ? [v] : [...v];
  return out;
}

/** The signed header names, from the Authorization header or X-Amz-SignedHeaders. */
export function signedHeaderNames(c: VectorCase): string[] {
  const authz = headersOf(c.request).authorization?.[0];
  if (authz !== undefined) return /SignedHeaders=([^,\s]+)/.exec(authz)![1]!.split(';');
  const query = split(c.request.url)[1] ?? '';
  const pair = query.split('&').find((p) => p.startsWith('X-Amz-SignedHeaders='))!;
  return decodeURIComponent(pair.slice('X-Amz-SignedHeaders='.length)).split(';');
}

/** A different character in the same place, never whitespace. */
function otherChar(ch: string): string {
  return ch === 'a' ? 'b' : 'a';
}

/** One byte changed in header `name`: the seconds of a date, else the last non-space character. */
export function withHeaderByteChanged(r: SignedRequest, name: string): SignedRequest {
  const headers = headersOf(r);
  const values = headers[name]!;
  const last = values.length - 1;
  const v = values[last]!;
  if (name === 'x-amz-date') values[last] = v.slice(0, 14) + (v[14] === '0' ? '1' : '0') + v.slice(15);
  else if (v.trim() === '') values[last] = 'a';
  else {
    const i = v.trimEnd().length - 1;
    values[last] = v.slice(0, i) + otherChar(v[i]!) + v.slice(i + 1);
  }
  return { ...r, headers };
}

function split(url: string): [string, string | undefined] {
  const q = url.indexOf('?');
  return q < 0 ? [url, undefined] : [url.slice(0, q), url.slice(q + 1)];
}

/** A path that stays different after normalisation: one more segment. */
export function withPathChanged(r: SignedRequest): SignedRequest {
  const [path, query] = split(r.url);
  const changed = path + (path.endsWith('/') ? 'x' : '/x');
  return { ...r, url: query === undefined ? changed : `${changed}?${query}` };
}

const AUTH_PARAMS = /^X-Amz-(Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token|Region-Set)$/;

/** The first non-auth query value changed by one character, or a parameter added when there is none. */
export function withQueryValueChanged(r: SignedRequest): SignedRequest {
  const [path, query] = split(r.url);
  const pairs = query === undefined || query === '' ? [] : query.split('&');
  const i = pairs.findIndex((p) => !AUTH_PARAMS.test(p.split('=')[0]!));
  if (i < 0) return { ...r, url: `${path}?${['x=1', ...pairs].join('&')}` };
  const pair = pairs[i]!;
  const eq = pair.indexOf('=');
  const key = eq < 0 ? pair : pair.slice(0, eq);
  const value = eq < 0 ? '' : pair.slice(eq + 1);
  pairs[i] = `${key}=${value === '' ? 'x' : otherChar(value[0]!) + value.slice(1)}`;
  return { ...r, url: `${path}?${pairs.join('&')}` };
}
