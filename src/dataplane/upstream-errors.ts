/**
 * Maps a failure to reach or read a target onto the status the client gets (502, 503 or 504) and
 * the access log's failureReason. A client that went away first is logged as ClientAborted instead.
 */
import type { FailureReason } from '../observability/index.js';
import { cutResponse, sendError } from './responses.js';
import type { RequestState } from './request-state.js';

const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'LATTICED_UPSTREAM_TIMEOUT']);
const UNAVAILABLE = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION']);
const RESETS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_SESSION_ERROR']);

export function classifyUpstreamError(err: unknown): { status: number; reason: FailureReason; message: string } {
  const code = (err as { code?: string } | null)?.code ?? '';
  // undici refusing to send what the client gave us (a header or method it cannot carry) is the client's fault.
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED' || code === 'ERR_HTTP2_INVALID_HEADER_VALUE' || code === 'ERR_INVALID_HTTP_TOKEN' || code === 'ERR_HTTP2_INVALID_CONNECTION_HEADERS') {
    return { status: 400, reason: 'MalformedRequest', message: 'The request cannot be forwarded as sent.' };
  }
  if (TIMEOUTS.has(code)) return { status: 504, reason: 'TargetTimeout', message: 'The target did not respond in time' };
  if (UNAVAILABLE.has(code)) return { status: 503, reason: 'TargetConnectionError', message: 'The target is not available' };
  if (RESETS.has(code)) return { status: 502, reason: 'TargetResetError', message: 'The target reset the connection' };
  return { status: 502, reason: 'TargetConnectionError', message: 'The target could not be reached' };
}

/** The client side is gone: the request body was cut off, or the response cannot be written. */
export function clientGone(s: RequestState): boolean {
  return s.res.destroyed || (s.req.destroyed && !s.req.complete);
}

export function failUpstream(s: RequestState, err: unknown): void {
  if (s.logged) return;
  if (clientGone(s)) {
    s.record.failureReason = 'ClientAborted';
    s.res.destroy();
    return;
  }
  const { status, reason, message } = classifyUpstreamError(err);
  if (s.res.headersSent) {
    // The status line is gone already: cut the response so the client sees it is incomplete.
    s.record.failureReason = reason;
    cutResponse(s.res);
    return;
  }
  const code = status === 400 ? 'BadRequestException' : status === 504 ? 'GatewayTimeoutException' : status === 503 ? 'ServiceUnavailableException' : 'BadGatewayException';
  sendError(s, status, code, message, reason);
}
