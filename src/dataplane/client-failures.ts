/**
 * The answers latticed gives on its own, before any service sees a request: an HTTP/1.1 parser error,
 * a request too slow to arrive, an unmet `Expect`. Each is AWS-style (`x-amzn-ErrorType` and a JSON
 * `{"__type","message"}` body) and names the access log's reason for it.
 */
import type { Duplex } from 'node:stream';
import type { FailureReason } from '../observability/index.js';

export interface ClientFailure {
  status: number;
  code: string;
  message: string;
  reason: FailureReason;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout' };

/** What an HTTP/1.1 parser error (or Node's headers or request timeout) is answered with. */
export function parserFailure(code: string): ClientFailure {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 400, code: 'BadRequestException', message: 'The request headers are too large.', reason: 'HeaderLimitExceeded' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'HPE_HEADERS_TIMEOUT') {
    return { status: 408, code: 'RequestTimeoutException', message: 'The request was not received in time.', reason: 'ClientTimeout' };
  }
  // The client closed its side before the body it announced was complete.
  if (code === 'HPE_INVALID_EOF_STATE') return { status: 400, code: 'BadRequestException', message: 'The request ended before its body was complete.', reason: 'ClientAborted' };
  return { status: 400, code: 'BadRequestException', message: 'The request could not be parsed as HTTP.', reason: 'MalformedRequest' };
}

export const EXPECTATION_FAILED: ClientFailure = {
  status: 417,
  code: 'ExpectationFailedException',
  message: "The request's Expect header cannot be met: only 100-continue is supported.",
  reason: 'MalformedRequest',
};

/** A request pipelined behind a pending response, whose client left before its turn: logged, never answered. */
export const PIPELINED_ABANDONED: ClientFailure = { status: 400, code: 'BadRequestException', message: 'The client left before its request was served.', reason: 'ClientAborted' };

/** A CONNECT whose client left while it waited behind an earlier response: logged, never answered. */
export const CONNECT_ABANDONED: ClientFailure = { status: 400, code: 'BadRequestException', message: 'CONNECT is not supported.', reason: 'ClientAborted' };

/** Writes the answer straight to a socket whose HTTP parser has failed; the connection ends with it. */
export function answerRaw(socket: Duplex, f: ClientFailure): void {
  const body = JSON.stringify({ __type: f.code, message: f.message });
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${f.status} ${STATUS_TEXT[f.status]}\r\nconnection: close\r\ncontent-type: application/json\r\nx-amzn-errortype: ${f.code}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
