/**
 * Canonical query strings. Pairs are sorted by encoded key, then encoded value. A literal `+`
 * on the wire is ambiguous (CRT/botocore sign it as `%2B`, form-style clients as a space), so
 * both readings are offered when one occurs.
 */
import { canonicalComponent } from './uri-encode.js';

export interface RawParam {
  key: string;
  value: string;
}

/** Splits a raw query (without `?`) into wire pairs; empty segments are dropped. */
export function parseQuery(query: string): RawParam[] {
  const params: RawParam[] = [];
  if (query === '') return params;
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    if (end > start) {
      const eq = query.indexOf('=', start);
      if (eq < 0 || eq > end) params.push({ key: query.slice(start, end), value: '' });
      else params.push({ key: query.slice(start, eq), value: query.slice(eq + 1, end) });
    }
    start = end + 1;
  }
  return params;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The canonical query of `params`, leaving out the pairs for which `skip` is true. */
export function canonicalQuery(params: readonly RawParam[], plusAsSpace: boolean, skip?: (p: RawParam) => boolean): string {
  const pairs: [string, string][] = [];
  for (const p of params) {
    if (skip?.(p)) continue;
    pairs.push([canonicalComponent(p.key, plusAsSpace), canonicalComponent(p.value, plusAsSpace)]);
  }
  if (pairs.length > 1) pairs.sort((x, y) => compare(x[0], y[0]) || compare(x[1], y[1]));
  let out = '';
  for (let i = 0; i < pairs.length; i++) {
    const [k, v] = pairs[i]!;
    out += (i === 0 ? '' : '&') + k + '=' + v;
  }
  return out;
}

export function hasPlus(params: readonly RawParam[]): boolean {
  for (const p of params) if (p.key.indexOf('+') >= 0 || p.value.indexOf('+') >= 0) return true;
  return false;
}
