/**
 * Request-target normalisation, done exactly once per request: the result is both the path that is
 * authorized and the path that is forwarded. Choices (docs/compatibility.md, "Data plane"):
 *  - percent-encoded unreserved characters (ALPHA DIGIT - . _ ~) are decoded; every other escape
 *    is kept, with its hex digits upper-cased;
 *  - dot segments are removed (RFC 3986 5.2.4), after that decoding, so `%2e%2e` is `..`;
 *  - runs of `/` are merged into one;
 *  - rejected (400): an encoded `/` or `\`, a literal `\`, a NUL (encoded or not), a malformed
 *    escape, escapes that decode to invalid UTF-8, raw bytes outside visible ASCII, a `#`,
 *    `..` above the root, path parameters (`;` or `%3B`: Tomcat, Jetty and Spring strip `;…` from
 *    each segment, so `/api;v=1/admin` is `/api/admin` to them, and `/a/..;/b` is `/b`), and any
 *    target that is not origin-form (`/…`). With `allowParameters`, parameters pass, except on an
 *    empty or dot segment (`/..;/`, `/.;/`, `/;x/`), which such a target would resolve.
 * The query string is forwarded unchanged, but must be visible ASCII too, without an encoded NUL.
 */

export type PathError =
  | 'EncodedSlash'
  | 'Backslash'
  | 'NulByte'
  | 'BadEscape'
  | 'InvalidUtf8'
  | 'BadCharacter'
  | 'AboveRoot'
  | 'PathParameters'
  | 'DotSegmentParams'
  | 'NotOriginForm';

export interface NormalizeOptions {
  /** Let `;` path parameters through (except on empty and dot segments). Default false: 400. */
  allowParameters?: boolean;
}

export interface NormalizedTarget {
  /** The normalised path, without the query. */
  path: string;
  /** `?…` or the empty string. */
  query: string;
}

const HEX = '0123456789ABCDEF';

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function isUnreserved(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
}

/** Visible ASCII except `#` and `\`, which have their own errors. */
function badChar(c: number): PathError | undefined {
  if (c === 0) return 'NulByte';
  if (c === 0x5c) return 'Backslash';
  if (c <= 0x20 || c >= 0x7f || c === 0x23) return 'BadCharacter';
  return undefined;
}

/** Checks that a run of decoded escape bytes (>= 0x80) is well-formed UTF-8. */
function validUtf8(bytes: number[]): boolean {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n: number;
    let min: number;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) { n = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { n = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { n = 3; min = 0x10000; }
    else return false;
    if (i + n >= bytes.length) return false;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

/**
 * Does a path (escapes normalised, slashes merged, dot segments not yet removed) put path
 * parameters (`;…`, literal or `%3B`) on a segment that is empty, `.` or `..` before them? A target
 * that strips parameters per segment (servlet containers) would read `/a/..;/b` as `/a/../b`.
 */
function paramsOnDotSegment(path: string): boolean {
  for (let i = 1; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c !== 0x3b && !(c === 0x25 && path.charCodeAt(i + 1) === 0x33 && path.charCodeAt(i + 2) === 0x42)) continue;
    // The segment's name: what precedes its first parameter (a later `;` has a longer name).
    const name = path.slice(path.lastIndexOf('/', i - 1) + 1, i);
    if (name === '' || name === '.' || name === '..') return true;
  }
  return false;
}

/** RFC 3986 5.2.4 on an absolute path whose slashes are already merged; undefined when `..` climbs above the root. */
function removeDotSegments(path: string): string | undefined {
  const segments = path.split('/');
  const out: string[] = [];
  // segments[0] is '' (the path starts with '/').
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i]!;
    const last = i === segments.length - 1;
    if (s === '.') {
      if (last) out.push('');
    } else if (s === '..') {
      if (out.length === 0) return undefined;
      out.pop();
      if (last) out.push('');
    } else {
      out.push(s);
    }
  }
  return '/' + out.join('/');
}

/**
 * Normalises `raw` (the request target as received) into `out`. Returns undefined on success, or
 * why the target is rejected. The common case (nothing to change) allocates only the split strings.
 */
export function normalizeTarget(raw: string, out: NormalizedTarget, options?: NormalizeOptions): PathError | undefined {
  if (raw.charCodeAt(0) !== 0x2f) return 'NotOriginForm';
  let q = raw.indexOf('?');
  if (q < 0) q = raw.length;
  // Query: forwarded as sent, but only visible ASCII, and no encoded NUL (PHP, for one, ends a key
  // there, and would read `admin%00x=1` as `admin`).
  for (let i = q + 1; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x23) return c === 0 ? 'NulByte' : 'BadCharacter';
    if (c === 0x25 && raw.charCodeAt(i + 1) === 0x30 && raw.charCodeAt(i + 2) === 0x30) return 'NulByte';
  }
  // First pass: validate, and find out whether anything needs rewriting.
  let rewrite = false;
  let dots = false;
  let params = false;
  let prev = 0;
  for (let i = 0; i < q; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25) {
      rewrite = true;
      const h = hexValue(raw.charCodeAt(i + 1));
      const l = hexValue(raw.charCodeAt(i + 2));
      if (i + 2 >= q || h < 0 || l < 0) return 'BadEscape';
      const b = (h << 4) | l;
      if (b === 0x2f) return 'EncodedSlash';
      if (b === 0x5c) return 'Backslash';
      if (b === 0) return 'NulByte';
      if (b === 0x3b) params = true;
      i += 2;
      prev = 0;
      continue;
    }
    const e = badChar(c);
    if (e !== undefined) return e;
    if (c === 0x2f && prev === 0x2f) rewrite = true;
    if (c === 0x2e && prev === 0x2f) dots = true;
    if (c === 0x3b) params = true;
    prev = c;
  }
  if (params && options?.allowParameters !== true) return 'PathParameters';
  if (!rewrite && !dots) {
    if (params && paramsOnDotSegment(q === raw.length ? raw : raw.slice(0, q))) return 'DotSegmentParams';
    out.path = q === raw.length ? raw : raw.slice(0, q);
    out.query = q === raw.length ? '' : raw.slice(q);
    return undefined;
  }
  // Second pass: decode unreserved escapes, upper-case the others, merge slashes; check UTF-8.
  let path = '';
  let utf8: number[] | undefined;
  for (let i = 0; i < q; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25) {
      const b = (hexValue(raw.charCodeAt(i + 1)) << 4) | hexValue(raw.charCodeAt(i + 2));
      i += 2;
      if (b >= 0x80) (utf8 ??= []).push(b);
      else {
        if (utf8 !== undefined && !validUtf8(utf8)) return 'InvalidUtf8';
        utf8 = undefined;
      }
      if (isUnreserved(b)) path += String.fromCharCode(b);
      else path += '%' + HEX[b >> 4] + HEX[b & 15];
      continue;
    }
    if (utf8 !== undefined) {
      if (!validUtf8(utf8)) return 'InvalidUtf8';
      utf8 = undefined;
    }
    if (c === 0x2f && path.charCodeAt(path.length - 1) === 0x2f) continue;
    path += raw[i];
  }
  if (utf8 !== undefined && !validUtf8(utf8)) return 'InvalidUtf8';
  if (params && paramsOnDotSegment(path)) return 'DotSegmentParams';
  if (path.indexOf('/.') >= 0) {
    const resolved = removeDotSegments(path);
    if (resolved === undefined) return 'AboveRoot';
    path = resolved;
  }
  out.path = path;
  out.query = q === raw.length ? '' : raw.slice(q);
  return undefined;
}
