/**
 * Forwarding to the chosen target, streaming both ways with backpressure and never buffering a body:
 * HTTP/1.1 through an undici keep-alive Pool (see http1-relay.ts), HTTP/2 and gRPC through a
 * node:http2 session with trailers kept.
 */
import type { ServerResponse } from 'node:http';
import http2, { type ClientHttp2Stream, type Http2ServerRequest, type Http2ServerResponse, type IncomingHttpHeaders as H2Headers } from 'node:http2';
import { dispatchHttp1 } from './http1-relay.js';
import { filterResponseHeaders } from './inbound-headers.js';
import type { RequestState } from './request-state.js';
import { cutResponse } from './responses.js';
import { clientGone, failUpstream } from './upstream-errors.js';
import type { Upstreams } from './upstreams.js';

/** Does the client's request have a body to stream? */
export function hasBody(s: RequestState): boolean {
  const req = s.req;
  if (req.httpVersionMajor === 2) return !(req as Http2ServerRequest).stream.endAfterHeaders;
  const h = req.headers;
  return (h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined;
}

/**
 * The request body about to be relayed, counted as it goes when the client speaks HTTP/2. Paused
 * explicitly first, so that the counting listener does not start the flow: the consumer (undici, or
 * pipe()) resumes it once it listens too, and both see every chunk.
 *
 * HTTP/2: a stream the client resets before its END_STREAM (RST_STREAM NO_ERROR in particular) still
 * ends Node's compat request cleanly, a tick after 'aborted'; relayed as is, the part received would
 * reach the target as the whole body (a last chunk, a clean END_STREAM). It fails instead: undici
 * closes the target connection mid-body, and the HTTP/2 relay resets its stream. ('aborted' does not
 * come once our response has ended; by then the target exchange is over, and cancelled.)
 */
function relayedBody(s: RequestState): RequestState['req'] {
  const req = s.req;
  if (s.socket === null) {
    (req as Http2ServerRequest).stream.once('aborted', () => {
      if (!req.readableEnded) req.destroy(Object.assign(new Error('request stream reset before its end'), { code: 'LATTICED_CLIENT_GONE' }));
    });
    req.pause();
    req.on('data', (chunk: Buffer) => {
      s.bodyBytesIn += chunk.length;
    });
  }
  return req;
}

export function forwardHttp1(s: RequestState, upstreams: Upstreams, headers: Record<string, string | string[]>): void {
  const pool = upstreams.pool(s.targetGroup!, s.target!);
  s.forwardedAt = performance.now();
  s.relay = dispatchHttp1(upstreams, pool, s, headers, hasBody(s) ? relayedBody(s) : null);
}

const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR } = http2.constants;

/** The abort of each upstream stream that carries a request body (see cancelUpstream). */
const aborters = new WeakMap<ClientHttp2Stream, AbortController>();

/**
 * Cancels an upstream HTTP/2 stream. Node's close(code) ends the writable side first, so END_STREAM
 * goes out before the RST_STREAM, and the target sees a complete request whose body is whatever it
 * got so far. While the body is still being sent, the stream's abort signal is used instead: an
 * aborted stream is destroyed with RST_STREAM CANCEL alone.
 */
export function cancelUpstream(stream: ClientHttp2Stream): void {
  if (stream.closed) return;
  const abort = aborters.get(stream);
  if (abort !== undefined && !stream.writableEnded) abort.abort();
  else stream.close(NGHTTP2_CANCEL);
}

export function forwardHttp2(s: RequestState, upstreams: Upstreams, headers: Record<string, string | string[]>): void {
  const timeoutMs = upstreams.timeouts.upstreamResponseMs;
  const group = s.targetGroup!;
  let session;
  try {
    session = upstreams.session(group, s.target!);
  } catch (err) {
    failUpstream(s, err);
    return;
  }
  headers[':method'] = s.req.method ?? 'GET';
  headers[':path'] = s.path + s.query;
  headers[':scheme'] = group.protocol === 'HTTPS' ? 'https' : 'http';
  headers[':authority'] = s.host;
  const withBody = hasBody(s);
  s.forwardedAt = performance.now();
  let stream;
  const abort = withBody ? new AbortController() : undefined;
  try {
    stream = session.request(headers as H2Headers, { endStream: !withBody, ...(abort === undefined ? {} : { signal: abort.signal }) });
  } catch (err) {
    failUpstream(s, err);
    return;
  }
  s.upstream = stream;
  if (abort !== undefined) aborters.set(stream, abort);
  const res = s.res as ServerResponse | Http2ServerResponse;
  let responded = false;
  // Until the response headers, and then between body chunks (as undici's bodyTimeout for
  // HTTP/1.1 targets): a target that stalls mid-body is cut, not waited for forever. A body
  // paused because the client reads slowly is the client's business, not the target's.
  stream.setTimeout(timeoutMs);
  stream.on('timeout', () => {
    if (responded && stream.isPaused() && !clientGone(s)) {
      stream.once('resume', () => stream.setTimeout(timeoutMs));
      return;
    }
    failUpstream(s, Object.assign(new Error('upstream timeout'), { code: 'LATTICED_UPSTREAM_TIMEOUT' }));
    cancelUpstream(stream);
  });
  stream.on('response', (h, flags) => {
    responded = true;
    s.responseAt = performance.now();
    if (res.destroyed) {
      cancelUpstream(stream);
      return;
    }
    const status = Number(h[':status']);
    const headers = filterResponseHeaders(h as Record<string, string | string[]>, s.requestId);
    // gRPC "trailers-only" (HEADERS with END_STREAM): re-send grpc-status/-message as trailers, since
    // our response's headers frame cannot end the stream once a body may follow.
    const trailersOnly = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0 && headers['grpc-status'] !== undefined;
    let trailers: Record<string, string> | undefined;
    if (trailersOnly) {
      trailers = {};
      for (const k of ['grpc-status', 'grpc-message', 'grpc-status-details-bin']) {
        if (headers[k] !== undefined) trailers[k] = String(headers[k]);
        delete headers[k];
      }
      s.record.grpcResponseCode = Number(trailers['grpc-status']);
    }
    try {
      (res as ServerResponse).writeHead(status, headers);
      if (trailers !== undefined) (res as ServerResponse).addTrailers(trailers);
    } catch (err) {
      failUpstream(s, err);
      cancelUpstream(stream);
      return;
    }
    // Ended here, not by pipe(): a stream whose target connection went away also emits 'end'
    // (with rstCode CANCEL), and must reach the client as cut (below, on 'close'), not as complete.
    stream.pipe(res as ServerResponse, { end: false });
    stream.on('end', () => {
      if (stream.rstCode === NGHTTP2_NO_ERROR && !res.destroyed) res.end();
    });
    // pipe() already reads the stream: a second listener only counts.
    stream.on('data', (chunk: Buffer) => {
      s.bodyBytesOut += chunk.length;
    });
  });
  stream.on('trailers', (t) => {
    const trailers: Record<string, string> = {};
    for (const k in t) if (k.charCodeAt(0) !== 0x3a && t[k] !== undefined) trailers[k] = String(t[k]);
    if (trailers['grpc-status'] !== undefined) s.record.grpcResponseCode = Number(trailers['grpc-status']);
    try {
      (res as ServerResponse).addTrailers(trailers);
    } catch {
      // HTTP/1.1 responses without chunked encoding cannot carry trailers; the body still arrives.
    }
  });
  stream.on('error', (err) => {
    // Our own cancel (cancelUpstream's abort) is not the target's failure.
    if (err.name !== 'AbortError') failUpstream(s, err);
  });
  stream.on('close', () => {
    if (!responded && !s.logged && !res.headersSent) {
      failUpstream(s, Object.assign(new Error('upstream stream closed'), { code: stream.rstCode === NGHTTP2_CANCEL ? 'ECONNRESET' : 'ERR_HTTP2_STREAM_ERROR' }));
    } else if (responded && !res.writableEnded && !clientGone(s) && stream.rstCode !== 0 && !s.logged) {
      // A cut we made ourselves (a timeout) keeps its own reason.
      if (s.record.failureReason === '-') s.record.failureReason = 'TargetResetError';
      cutResponse(s.res);
    }
  });
  if (withBody) {
    relayedBody(s).pipe(stream);
    s.req.on('error', () => cancelUpstream(stream));
  }
}
