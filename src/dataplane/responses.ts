/**
 * Responses the data plane writes itself (denials, errors, fixed responses). Every one carries the
 * request id; errors are AWS-style: `x-amzn-ErrorType` plus a JSON body `{"__type","message"}`,
 * except auth-policy denials, which are Lattice's plain `AccessDeniedException: …` text.
 */
import type { ServerResponse } from 'node:http';
import type { InboundResponse } from './request-state.js';
import type { RequestState } from './request-state.js';
import type { FailureReason } from '../observability/index.js';

function write(res: InboundResponse, status: number, headers: Record<string, string | number>, body: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const r = res as ServerResponse;
  try {
    r.writeHead(status, headers);
    r.end(body);
  } catch {
    res.destroy();
  }
}

/** An AWS-style JSON error. */
export function sendError(s: RequestState, status: number, code: string, message: string, reason: FailureReason | undefined): void {
  if (reason !== undefined) s.record.failureReason = reason;
  const body = JSON.stringify({ __type: code, message });
  write(s.res, status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': code,
    'x-amzn-requestid': s.requestId,
  }, body);
}

/** Lattice's auth-policy denial: 403 with `AccessDeniedException: User: … is not authorized …`. */
export function sendAccessDenied(s: RequestState, message: string): void {
  s.record.failureReason = 'ClientAccessDenied';
  const body = `AccessDeniedException: ${message}`;
  write(s.res, 403, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': 'AccessDeniedException',
    'x-amzn-requestid': s.requestId,
  }, body);
}

/** A listener rule's fixedResponse action: the status and an empty body. */
export function sendFixed(s: RequestState, status: number): void {
  write(s.res, status, { 'content-length': 0, 'x-amzn-requestid': s.requestId }, '');
}
