/**
 * The header view a request carries through the pipeline: the client's headers without anything a
 * client must not control. Policies, rules and targets all see this one view.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Headers never copied from the client: hop-by-hop ones, and the ones latticed sets itself. */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'http2-settings',
  'x-forwarded-for',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-amzn-requestid',
  // Node answers `Expect: 100-continue` itself; targets get the body without it.
  'expect',
]);

const LATTICE_PREFIX = 'x-amzn-lattice-';

function isLattice(name: string): boolean {
  // Cheap first-character test before the prefix comparison.
  return name.charCodeAt(0) === 0x78 && name.startsWith(LATTICE_PREFIX);
}

/**
 * CGI-style servers (WSGI, PHP, Rack, …) map `-` and `_` in a header name to the same variable, so
 * `x_amzn_lattice_identity` reaches such a target as `HTTP_X_AMZN_LATTICE_IDENTITY`, beside or
 * in place of latticed's own. Names with `_` are therefore checked as if spelled with `-`.
 */
function dashed(name: string): string {
  return name.indexOf('_') < 0 ? name : name.replace(/_/g, '-');
}

/**
 * Copies `incoming` without pseudo-headers, hop-by-hop headers (including those the Connection
 * header names), latticed-owned headers and every `x-amzn-lattice-*` header (also spelled with `_`); with
 * `dropCredentials` (AWS_IAM pipelines, where latticed consumes the signature) also without
 * `authorization` and `x-amz-security-token`. Policies never see those two anyway.
 */
export function filterInboundHeaders(incoming: IncomingHttpHeaders, dropCredentials: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connection = incoming.connection;
  const named = connectionNamed(connection);
  for (const name in incoming) {
    const v = incoming[name];
    if (v === undefined || name.charCodeAt(0) === 0x3a) continue;
    const key = dashed(name);
    if (DROPPED.has(key) || isLattice(key)) continue;
    if (named !== undefined && named.has(name)) continue;
    if (dropCredentials && (name === 'authorization' || name === 'x-amz-security-token')) continue;
    out[name] = v;
  }
  // gRPC needs `te: trailers` end to end; it is the only TE value HTTP/2 allows.
  if (incoming.te === 'trailers') out.te = 'trailers';
  return out;
}

/**
 * The header names a `Connection` value lists (RFC 9110 §7.6.1: hop-by-hop, removed by a proxy),
 * lower-cased; undefined for the common values that name none.
 */
export function connectionNamed(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined || value === 'keep-alive' || value === 'close') return undefined;
  return connectionTokens(typeof value === 'string' ? value : value.join(','));
}

function connectionTokens(value: string): Set<string> {
  const set = new Set<string>();
  for (const t of value.split(',')) set.add(t.trim().toLowerCase());
  return set;
}

/** Response headers that must not be copied to the client (hop-by-hop; forbidden in HTTP/2). */
export const RESPONSE_DROPPED: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'http2-settings', 'te']);

export function filterResponseHeaders(incoming: Record<string, string | string[] | undefined>, requestId: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const v = incoming[name];
    if (v === undefined || name.charCodeAt(0) === 0x3a || RESPONSE_DROPPED.has(name)) continue;
    out[name] = v;
  }
  out['x-amzn-requestid'] = requestId;
  return out;
}
