/**
 * Canonical header values: each value trimmed with inner runs of whitespace collapsed to one
 * space; repeated headers (arrays, as `req.headersDistinct` gives them) joined with commas.
 */
import type { HeaderMap } from './types.js';

/** One pass: any whitespace other than a single inner space means the value must be rewritten. */
function needsTrim(v: string): boolean {
  const last = v.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = v.charCodeAt(i);
    if (c <= 32 && (c !== 32 || i === 0 || i === last || v.charCodeAt(i + 1) <= 32)) return true;
  }
  return false;
}

export function trimValue(v: string): string {
  if (!needsTrim(v)) return v;
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += v[i];
  }
  return out;
}

/** The raw header value(s) for a lower-case name; `host` falls back to HTTP/2 `:authority`. */
export function headerValue(headers: HeaderMap, name: string): string | readonly string[] | undefined {
  const v = headers[name];
  if (v === undefined && name === 'host') return headers[':authority'];
  return v;
}

/** First value of a header, or undefined. */
export function firstValue(headers: HeaderMap, name: string): string | undefined {
  const v = headerValue(headers, name);
  if (v === undefined || typeof v === 'string') return v;
  return v.length > 0 ? v[0] : undefined;
}

/** The canonical value of one header that is present. */
export function canonicalValue(v: string | readonly string[]): string {
  if (typeof v === 'string') return trimValue(v);
  if (v.length === 1) return trimValue(v[0]!);
  let out = '';
  for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + trimValue(v[i]!);
  return out;
}
