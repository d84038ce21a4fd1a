/** Filling in the access-log record at the edges of a request: its start, its end, a refused connection. */
import http2, { type Http2ServerResponse } from 'node:http2';
import { ABSENT, emptyRecord, type AccessLogRecord } from '../observability/index.js';
import { redactTarget } from './auth-params.js';
import type { ConnectionInfo } from './connection-info.js';
import type { InboundRequest, RequestState } from './request-state.js';

const { NGHTTP2_PROTOCOL_ERROR } = http2.constants;

// startTime has one-second resolution, as Lattice writes it: format once per second.
let cachedSecond = Number.NaN;
let cachedIso = '';

export function isoSecond(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedIso = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    cachedSecond = second;
  }
  return cachedIso;
}

function connectionFields(r: AccessLogRecord, conn: ConnectionInfo): void {
  r.sourceIpPort = conn.sourceIpPort;
  if (conn.vpc !== undefined) {
    r.sourceVpcId = conn.vpc.id;
    r.sourceVpcArn = conn.vpc.arn;
  }
  if (conn.association !== undefined) r.serviceNetworkArn = conn.association.serviceNetwork.arn;
  if (conn.serverName !== undefined) r.serverNameIndication = conn.serverName;
  if (conn.sslCipher !== undefined) r.sslCipher = conn.sslCipher;
  if (conn.tlsVersion !== undefined) r.tlsVersion = conn.tlsVersion;
  r.listenerType = conn.secure ? 'HTTPS' : 'HTTP';
}

export function startRecord(conn: ConnectionInfo, nowMs: number): AccessLogRecord {
  const r = emptyRecord();
  r.startTime = isoSecond(nowMs);
  connectionFields(r, conn);
  return r;
}

/** The one record of a connection refused at L3/L4 (or of a request on a connection a swap now refuses). */
export function refusedRecord(conn: ConnectionInfo, nowMs: number): AccessLogRecord {
  const r = startRecord(conn, nowMs);
  r.protocol = 'TCP';
  r.failureReason = conn.refused ?? '-';
  return r;
}

/**
 * The one record of an HTTP/2 request whose stream the protocol layer reset before latticed saw it
 * (a body longer than its content-length): its connection is gone, so only the request is known.
 */
export function resetStreamRecord(req: InboundRequest, secure: boolean, nowMs: number): AccessLogRecord {
  const r = emptyRecord();
  r.startTime = isoSecond(nowMs);
  r.listenerType = secure ? 'HTTPS' : 'HTTP';
  requestLineFields(r, req);
  r.failureReason = 'MalformedRequest';
  return r;
}

/** Method, protocol and target (presigned-URL secrets redacted), as received. */
export function requestLineFields(r: AccessLogRecord, req: InboundRequest): void {
  r.requestMethod = req.method ?? 'GET';
  r.protocol = req.httpVersionMajor === 2 ? 'HTTP/2.0' : req.httpVersionMinor === 0 ? 'HTTP/1.0' : 'HTTP/1.1';
  r.requestPath = req.url === undefined ? ABSENT : redactTarget(req.url);
}

/** Final fields, written when the response closes (finished or cut off). */
export function finishRecord(s: RequestState): AccessLogRecord {
  const r = s.record;
  const now = performance.now();
  r.duration = Math.round(now - s.started);
  if (s.forwardedAt > 0) {
    r.requestToTargetDuration = s.responseAt > 0 ? Math.round(s.responseAt - s.forwardedAt) : Math.round(now - s.forwardedAt);
    r.responseFromTargetDuration = s.responseAt > 0 ? Math.round(now - s.responseAt) : 0;
  }
  const res = s.res;
  r.responseCode = res.headersSent ? res.statusCode : '-';
  // HTTP/2: a stream reset (RST_STREAM) leaves a non-zero code even when our side finished. The
  // client's is an abort; nghttp2's PROTOCOL_ERROR means the client broke the framing (a body
  // longer or shorter than its content-length).
  const rst = s.req.httpVersionMajor === 2 ? ((res as Http2ServerResponse).stream?.rstCode ?? 0) : 0;
  if ((!res.writableFinished || rst !== 0) && r.failureReason === '-') r.failureReason = rst === NGHTTP2_PROTOCOL_ERROR ? 'MalformedRequest' : 'ClientAborted';
  // HTTP/1.1: the connection's byte counters, as deltas since the previous request on it.
  const sock = s.socket;
  const conn = s.conn;
  if (sock !== null) {
    const read = sock.bytesRead;
    const written = sock.bytesWritten;
    r.bytesReceived = read - conn.lastBytesRead;
    r.bytesSent = written - conn.lastBytesWritten;
    conn.lastBytesRead = read;
    conn.lastBytesWritten = written;
  } else {
    // HTTP/2: the bodies relayed or written (frames and compressed headers are not counted). A
    // request body latticed never read (a request it answered itself) is not counted: its
    // content-length is the client's claim, not a measurement (any number up to 2^63).
    r.bytesReceived = s.bodyBytesIn;
    r.bytesSent = s.bodyBytesOut;
  }
  return r;
}
