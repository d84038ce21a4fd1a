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

export function pathCandidates(rawPath: string): string[] {
  const path = rawPath === '' ? '/' : rawPath;
  const generic = genericPath(path);
  const candidates = [generic];
  if (path !== generic) candidates.push(path);
  const unnormalized = encodeAll(path, true);
  if (unnormalized !== generic && unnormalized !== path) candidates.push(unnormalized);
  return candidates;
}
