/**
 * Canonical URI candidates for a path as it arrived on the wire. Generic AWS signers remove dot
 * segments and empty segments, then encode the (already encoded) path again; S3-style signers
 * sign the path exactly as sent; a few encode without normalising. The first is what nearly
 * every client does; the others are tried only if it fails.
 */
import { encodeAll } from './uri-encode.js';

/** RFC 3986 dot-segment removal plus empty-segment removal, as @smithy/signature-v4 and CRT do. */
export function normalizePath(path: string): string {
  if (path.indexOf('/.') < 0 && path.indexOf('//') < 0 && path !== '.' && path !== '..') return path === '' ? '/' : path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && (path.endsWith('/') || path.endsWith('/.') || path.endsWith('/..')) ? '/' : '';
  return lead + segments.join('/') + trail;
}

/** The generic signers' canonical URI: dot segments removed, then encoded again. */
export function genericPath(rawPath: string): string {
  return encodeAll(normalizePath(rawPath === '' ? '/' : rawPath), true);
}

/** A segment that is `.` or `..` once `%2E` is decoded, but not as sent (`%2E`, `.%2e`, `%2E%2E`). */
const ENCODED_DOT_SEGMENT = /(?:^|\/)(?:%2[eE]\.?|\.%2[eE]|%2[eE]%2[eE])(?=\/|$)/;
const RAW_DOTDOT_SEGMENT = /(?:^|\/)\.\.(?=\/|$)/;

/**
 * True when the path has both a `..` segment and a percent-encoded dot segment. The generic
 * signers remove dot segments without decoding `%2E`, so their `..` pops `%2E` like any other
 * segment; RFC 3986 (and latticed's data plane) decode `%2E` first, so `..` climbs one segment
 * more: `/a/b/%2E/../c` is signed as `/a/b/c` but read as `/a/c`. Such a path has no one meaning
 * a signature can cover, and is refused.
 */
export function hasAmbiguousDotSegments(rawPath: string): boolean {
  return rawPath.indexOf('%') >= 0 && RAW_DOTDOT_SEGMENT.test(rawPath) && ENCODED_DOT_SEGMENT.test(rawPath);
}

/**
 * The path as sent is offered only without `%25`: otherwise it is also the generic reading of
 * another path, once decoded (`/a%2520b` as sent is what the SDKs sign for `/a%20b`), and a
 * signature over one would be accepted for the other.
 */
export function pathCandidates(rawPath: string): string[] {
  const path = rawPath === '' ? '/' : rawPath;
  const generic = genericPath(path);
  const candidates = [generic];
  if (path !== generic && path.indexOf('%25') < 0) candidates.push(path);
  const unnormalized = encodeAll(path, true);
  if (unnormalized !== generic && unnormalized !== path) candidates.push(unnormalized);
  return candidates;
}
