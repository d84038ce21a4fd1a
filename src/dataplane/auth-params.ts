/**
 * Query-string authentication parameters (presigned URLs). A presigned URL is a bearer credential
 * until it expires, so its signature and session token never reach an access-log record, and once
 * latticed has verified them they reach neither the policies nor the target.
 */

const AUTH_PARAMS = new Set([
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-signature',
  'x-amz-security-token',
  'x-amz-region-set',
]);

function hasAmzParam(query: string): boolean {
  // Case-insensitive scan for "x-amz-" (also percent-encoded dashes are left alone: they are not auth params to the verifier).
  for (let i = query.indexOf('-'); i >= 0; i = query.indexOf('-', i + 1)) {
    if (i >= 1 && (query.charCodeAt(i - 1) | 0x20) === 0x78 && query.substr(i + 1, 4).toLowerCase() === 'amz-') return true;
  }
  return false;
}

function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = eq < 0 ? pair : pair.slice(0, eq);
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** `?…` (or '') without the authentication parameters; the same string when it has none. */
export function stripAuthParams(query: string): string {
  if (query.length < 2 || !hasAmzParam(query)) return query;
  const kept = query.slice(1).split('&').filter((pair) => pair !== '' && !AUTH_PARAMS.has(paramName(pair)));
  return kept.length === 0 ? '' : '?' + kept.join('&');
}

/** A raw request target with its query's authentication parameters removed (for the log). */
export function redactTarget(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q) + stripAuthParams(target.slice(q));
}
