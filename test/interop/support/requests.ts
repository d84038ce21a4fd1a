/** The request shapes every client signs: what a service behind Lattice typically receives. */

export interface InteropRequest {
  name: string;
  method: string;
  /** Path plus query, percent-encoded as it goes on the wire. */
  target: string;
  /** Extra headers; every client also sends `x-amz-content-sha256: UNSIGNED-PAYLOAD`. */
  headers: Record<string, string>;
  body?: string;
}

export const UNSIGNED_PAYLOAD = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } as const;

export const getRoot: InteropRequest = { name: 'GET /', method: 'GET', target: '/', headers: {} };

export const getWithQuery: InteropRequest = {
  name: 'GET with a query (unsorted, repeated key, empty value)',
  method: 'GET',
  target: '/orders?status=open&limit=10&tag=b&b=&tag=a&a=1',
  headers: { accept: 'application/json' },
};

export const getEncoded: InteropRequest = {
  name: 'GET with an encoded path and query',
  method: 'GET',
  target: '/files/report%202024.pdf?filter=a%2Fb&q=hello%20world',
  headers: {},
};

/** The same query in canonical order, for signers that sign the query as sent (curl 7.x). */
export const getWithSortedQuery: InteropRequest = {
  ...getWithQuery,
  name: 'GET with a query in canonical order (repeated key, empty value)',
  target: '/orders?a=1&b=&limit=10&status=open&tag=a&tag=b',
};

/**
 * A literal `+` in the query: botocore signs it as `%2B`, aws4 reads it as a space (`%20`), so the
 * verifier must try both readings.
 */
export const getWithPlus: InteropRequest = {
  name: "GET with '+' in the query",
  method: 'GET',
  target: '/search?q=red+shoes&size=42',
  headers: {},
};

export const postJson: InteropRequest = {
  name: 'POST with a JSON body',
  method: 'POST',
  target: '/orders',
  headers: { 'content-type': 'application/json' },
  body: '{"item":"book","qty":2}',
};

export const putWithHeaders: InteropRequest = {
  name: 'PUT with custom headers',
  method: 'PUT',
  target: '/orders/42',
  headers: { 'content-type': 'text/plain', 'x-request-id': 'req-7f3a', 'x-tenant': 'blue team' },
  body: 'shipped',
};

/**
 * With a `Date` header. botocore then signs `date` (rewritten to now, as `Sun, 29 Nov 2026
 * 06:58:58 -0000`) instead of sending `x-amz-date`. (curl 7.x would take the header's text as
 * its signing timestamp, which must then be ISO 8601 basic; not a shape for curl.)
 */
export const getWithDateHeader: InteropRequest = {
  name: 'GET with a Date header',
  method: 'GET',
  target: '/status',
  headers: { date: 'Sun, 29 Nov 2026 00:00:00 GMT' },
};

export const allRequests: readonly InteropRequest[] = [getRoot, getWithQuery, getEncoded, getWithPlus, postJson, putWithHeaders];

/** Presigned URLs carry no body. */
export const bodilessRequests: readonly InteropRequest[] = [getRoot, getWithQuery, getEncoded, getWithPlus];

/** Splits a wire target into path and decoded query pairs, for signers that want them apart. */
export function splitTarget(target: string): { path: string; query: [string, string][] } {
  const mark = target.indexOf('?');
  if (mark < 0) return { path: target, query: [] };
  return { path: target.slice(0, mark), query: [...new URLSearchParams(target.slice(mark + 1))] };
}
