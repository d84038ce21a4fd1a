/**
 * Responses the data plane writes itself (denials, errors, fixed responses). Every one carries the
 * request id; errors are AWS-style: `x-amzn-ErrorType` plus a JSON body `{"__type","message"}`,
 * except auth-policy denials, which are Lattice's plain `AccessDeniedException: …` text.
 */
import type { ServerResponse } from 'node:http';
import http2, { type Http2ServerResponse } from 'node:http2';
import type { InboundResponse, RequestState } from './request-state.js';
import type { FailureReason } from '../observability/index.js';

const { NGHTTP2_INTERNAL_ERROR } = http2.constants;

/**
 * Cuts a response whose status line is already out, so that the client sees it is incomplete.
 * HTTP/1.1: the connection is closed (no last chunk, or fewer bytes than content-length). HTTP/2:
 * RST_STREAM INTERNAL_ERROR; `destroy()` without an error would end the stream cleanly (END_STREAM
 * or RST_STREAM NO_ERROR), which a client takes for a complete response.
 */
export function cutResponse(res: InboundResponse): void {
  const stream = (res as Http2ServerResponse).stream as Http2ServerResponse['stream'] | undefined;
  if (stream !== undefined) {
    if (!stream.destroyed) stream.close(NGHTTP2_INTERNAL_ERROR);
    return;
  }
  res.destroy();
}

function write(s: RequestState, status: number, headers: Record<string, string | number>, body: string, length: number): void {
  const res = s.res;
  if (res.headersSent || res.destroyed) {
    cutResponse(res);
    return;
  }
  const r = res as ServerResponse;
  try {
    r.writeHead(status, headers);
    r.end(body);
    s.bodyBytesOut += length;
  } catch {
    cutResponse(res);
  }
}

/** An AWS-style JSON error. */
export function sendError(s: RequestState, status: number, code: string, message: string, reason: FailureReason | undefined): void {
  if (reason !== undefined) s.record.failureReason = reason;
  const body = JSON.stringify({ __type: code, message });
  const length = Buffer.byteLength(body);
  write(s, status, {
    'content-type': 'application/json',
    'content-length': length,
    'x-amzn-errortype': code,
    'x-amzn-requestid': s.requestId,
  }, body, length);
}

/** Lattice's auth-policy denial: 403 with `AccessDeniedException: User: … is not authorized …`. */
export function sendAccessDenied(s: RequestState, message: string): void {
  s.record.failureReason = 'ClientAccessDenied';
  const body = `AccessDeniedException: ${message}`;
  const length = Buffer.byteLength(body);
  write(s, 403, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': length,
    'x-amzn-errortype': 'AccessDeniedException',
    'x-amzn-requestid': s.requestId,
  }, body, length);
}

/** A listener rule's fixedResponse action: the status and an empty body. */
export function sendFixed(s: RequestState, status: number): void {
  write(s, status, { 'content-length': 0, 'x-amzn-requestid': s.requestId }, '', 0);
}
