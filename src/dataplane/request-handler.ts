/**
 * The entry of every request, HTTP/1.1 or HTTP/2, plain or TLS: connection gate (re-checked after a
 * swap), listener and service lookup by port and host, then the service's compiled pipeline.
 * Exactly one access-log record is written per request, when its response closes.
 */
import type { Http2ServerRequest, ServerHttp2Session } from 'node:http2';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Snapshot } from '../network/snapshot.js';
import type { AccessLogSink } from '../observability/index.js';
import { finishRecord, refusedRecord, requestLineFields, resetStreamRecord, startRecord } from './access-record.js';
import type { ClientFailure } from './client-failures.js';
import { gateConnection, regate, type ConnectionInfo } from './connection-info.js';
import { cancelUpstream } from './forward.js';
import { PipelineCache, runStages, type PipelineRuntime } from './pipeline.js';
import { requestIdFor } from './request-id.js';
import { RequestState, type InboundRequest, type InboundResponse } from './request-state.js';
import { sendError } from './responses.js';
import http from 'node:http';

const kState = Symbol('latticed.request');

/**
 * The methods Node's HTTP/1.1 parser accepts (all upper case). HTTP/2 carries `:method` as any
 * token: `delete` would slip past a policy on `DELETE` and reach a target that compares methods
 * case-insensitively, so HTTP/2 is held to the same list.
 */
const KNOWN_METHODS: ReadonlySet<string> = new Set(http.METHODS);

type TaggedResponse = InboundResponse & { [kState]?: RequestState };

/**
 * `Host` / `:authority` without the port, lower-cased, a trailing dot dropped: the key of a service
 * route. Undefined when the value is not `host[:port]` (RFC 9110 §7.2: a DNS-style name or an IP
 * literal, and a port of digits only): a target parsing `a.svc:@b.svc` or `a.svc: b.svc` as a URL
 * authority would see another host than the one whose policy was evaluated.
 */
export function hostKey(host: string): string | undefined {
  let end: number;
  if (host.charCodeAt(0) === 0x5b) {
    const close = host.indexOf(']');
    if (close < 2) return undefined;
    for (let i = 1; i < close; i++) {
      const c = host.charCodeAt(i);
      // hex digits, ':' and '.' (an embedded IPv4 address)
      if (!((c >= 48 && c <= 58) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 0x2e)) return undefined;
    }
    end = close + 1;
  } else {
    const colon = host.indexOf(':');
    end = colon >= 0 ? colon : host.length;
    for (let i = 0; i < end; i++) {
      const c = host.charCodeAt(i);
      // letters, digits, '-', '.', '_'
      if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 0x2d || c === 0x2e || c === 0x5f)) return undefined;
    }
    if (end === 0) return undefined;
  }
  if (end < host.length) {
    if (host.charCodeAt(end) !== 0x3a || host.length - end - 1 > 5) return undefined;
    for (let i = end + 1; i < host.length; i++) {
      const c = host.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
  }
  let h = end === host.length ? host : host.slice(0, end);
  if (h.charCodeAt(h.length - 1) === 0x2e) h = h.slice(0, -1);
  // Most clients already send lower case; only allocate when they did not.
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (c >= 65 && c <= 90) return h.toLowerCase();
  }
  return h;
}

export class RequestHandler {
  snapshot: Snapshot;
  inFlight = 0;
  draining = false;
  private readonly conns = new WeakMap<object, ConnectionInfo>();
  private readonly pipelines: PipelineCache;
  private idleWaiters: (() => void)[] = [];

  constructor(
    snapshot: Snapshot,
    private readonly rt: PipelineRuntime,
    private readonly sink: AccessLogSink,
    private readonly acceptUnknown: boolean,
  ) {
    this.snapshot = snapshot;
    this.pipelines = new PipelineCache(rt);
  }

  /** Logs a connection refused at accept time. */
  logRefused(conn: ConnectionInfo): void {
    this.write(refusedRecord(conn, this.rt.now()));
  }

  gate(socket: Socket, port: number, secure: boolean): ConnectionInfo {
    return gateConnection(socket, this.snapshot, port, secure, this.acceptUnknown);
  }

  private write(record: import('../observability/index.js').AccessLogRecord): void {
    try {
      this.sink.write(record);
    } catch {
      // A failing sink must not fail requests.
    }
  }

  private connectionFor(req: InboundRequest, port: number, secure: boolean, snapshot: Snapshot): ConnectionInfo {
    const h2 = req.httpVersionMajor === 2;
    const key: object = h2 ? ((req as Http2ServerRequest).stream.session as ServerHttp2Session) : req.socket;
    let info = this.conns.get(key);
    if (info === undefined) {
      const sock = h2 ? (key as ServerHttp2Session).socket : req.socket;
      info = gateConnection(sock, snapshot, port, secure, this.acceptUnknown);
      if (secure) {
        const tls = sock as TLSSocket;
        info.sslCipher = tls.getCipher?.()?.name;
        info.tlsVersion = tls.getProtocol?.() ?? undefined;
        const sni = tls.servername;
        info.serverName = typeof sni === 'string' && sni !== '' ? sni : undefined;
      }
      this.conns.set(key, info);
    } else if (info.snapshot !== snapshot) {
      regate(info, snapshot, this.acceptUnknown);
    }
    return info;
  }

  handle(req: InboundRequest, res: InboundResponse, port: number, secure: boolean): void {
    const s = this.begin(req, res, port, secure);
    if (s === undefined) return;
    const { conn, record } = s;
    const host = s.host;
    if (s.socket === null && !KNOWN_METHODS.has(s.req.method ?? '')) {
      sendError(s, 400, 'BadRequestException', 'The request method is not one latticed accepts (methods are case-sensitive).', 'MalformedRequest');
      return;
    }
    const key = host === '' ? '' : hostKey(host);
    if (key === undefined || (s.socket !== null && repeatsHost(s.req.rawHeaders))) {
      sendError(s, 400, 'BadRequestException', 'The request must carry one Host header (or :authority), of the form host[:port].', 'MalformedRequest');
      return;
    }
    const network = conn.association?.serviceNetwork;
    const service = network?.routes.get(port)?.get(key);
    const listener = service?.listeners.get(port);
    if (network === undefined || service === undefined || listener === undefined) {
      sendError(s, 404, 'NotFoundException', `No service is reachable at ${host === '' ? '(no host)' : host} on port ${port} from this VPC.`, 'ServiceNotFound');
      return;
    }
    s.network = network;
    s.service = service;
    s.listener = listener;
    record.serviceArn = service.arn;
    record.listenerId = listener.id;
    // AWS_IAM: the authentication stage says which (ANONYMOUS, SIGV4, ...); a request answered before
    // it ran was not authenticated at all, and keeps '-'.
    if (network.authType !== 'AWS_IAM' && service.authType !== 'AWS_IAM') record.authenticationType = 'NONE';
    let pipeline;
    try {
      pipeline = this.pipelines.get(listener, service, network);
    } catch (err) {
      internalError(s, err);
      return;
    }
    runStages(s, pipeline.stages, 0, internalError);
  }

  /** A request latticed answers itself before any service sees it, logged like every other. */
  reject(req: InboundRequest, res: InboundResponse, port: number, secure: boolean, failure: ClientFailure): void {
    const s = this.begin(req, res, port, secure);
    if (s !== undefined) sendError(s, failure.status, failure.code, failure.message, failure.reason);
  }

  /**
   * Bytes on an HTTP/1.1 connection that failed to parse, or stopped coming in time. When they were
   * the body of the request in flight, that request answers (if its response has not started) and
   * its own record carries the reason. Otherwise they were a new request, whose record is written
   * here, with `req`'s method and target when it parsed. True when the caller may answer on the raw
   * socket (no response is being written on it); either way the caller then closes the connection.
   */
  clientError(socket: Socket, port: number, secure: boolean, failure: ClientFailure, req?: InboundRequest): boolean {
    const conn = this.conns.get(socket) ?? this.gate(socket, port, secure);
    const s = conn.active;
    if (s !== undefined && !s.req.complete) {
      // Already answered and logged (a denial does not wait for the body): nothing more to say.
      if (s.logged) return false;
      s.relay?.cancel();
      (s.res as ServerResponse).shouldKeepAlive = false;
      if (!s.res.headersSent) sendError(s, failure.status, failure.code, failure.message, failure.reason);
      // An answer already chosen (a 404, a denial) keeps its own reason.
      else if (s.record.failureReason === '-') s.record.failureReason = failure.reason;
      return false;
    }
    const record = startRecord(conn, this.rt.now());
    // A request that parsed but was never answered (a CONNECT whose client left while it waited).
    if (req !== undefined) requestLineFields(record, req);
    // A connection already gone got no answer.
    record.responseCode = socket.destroyed ? '-' : failure.status;
    record.failureReason = failure.reason;
    this.write(record);
    // A pipelined request's response still being written must not be interleaved with a raw one.
    return !responding(s);
  }

  /** HTTP/1.1: the response still being written (or waiting its turn) on this connection, if any. */
  pendingResponse(socket: Socket): InboundResponse | undefined {
    const s = this.conns.get(socket)?.active;
    return s !== undefined && !s.logged ? s.res : undefined;
  }

  /** What every request shares: its connection (gated), its record, its request id and host. */
  private begin(req: InboundRequest, res: InboundResponse, port: number, secure: boolean): RequestState | undefined {
    if (req.httpVersionMajor === 2 && (req as Http2ServerRequest).stream.destroyed) {
      // Node still emits the request of a stream nghttp2 has reset, detached from its session.
      this.write(resetStreamRecord(req, secure, this.rt.now()));
      return undefined;
    }
    const snapshot = this.snapshot;
    const conn = this.connectionFor(req, port, secure, snapshot);
    const now = this.rt.now();
    if (conn.refused !== undefined) {
      // The configuration changed under a kept-alive connection: refuse it as a new one would be.
      this.logRefused(conn);
      if (req.httpVersionMajor === 2) (req as Http2ServerRequest).stream.session?.destroy();
      else req.socket.destroy();
      return undefined;
    }
    const record = startRecord(conn, now);
    const s = new RequestState(snapshot, req, res, conn, record);
    s.owner = this;
    (res as TaggedResponse)[kState] = s;
    res.once('close', onResponseClose);
    s.counted = true;
    this.inFlight++;
    if (req.httpVersionMajor !== 2) {
      // HTTP/1.1 runs one request at a time per connection: the one a parse error there belongs to.
      conn.active = s;
      if (this.draining) (res as ServerResponse).shouldKeepAlive = false;
    }

    const headers = req.headers;
    requestLineFields(record, req);
    const ua = headers['user-agent'];
    if (ua !== undefined) record.userAgent = ua;
    s.requestId = requestIdFor(headers['x-amzn-requestid'], this.rt.settings.limits.maxRequestIdBytes);
    record.requestId = s.requestId;
    // HTTP/2: `:authority` wins over a `host` header (RFC 9113 §8.3.1).
    const authority = req.httpVersionMajor === 2 ? (headers[':authority'] as string | undefined) : undefined;
    const host = authority ?? headers.host ?? conn.serverName ?? '';
    s.host = host;
    if (host !== '') record.hostHeader = host;
    return s;
  }

  /** Called once per request when its response closes. */
  finish(s: RequestState): void {
    if (s.logged) return;
    s.logged = true;
    // Kept while the body is still arriving: an error in it is this request's, not a new one's.
    if (s.conn.active === s && s.req.complete) s.conn.active = undefined;
    if (s.upstream !== undefined) cancelUpstream(s.upstream);
    s.relay?.cancel();
    this.write(finishRecord(s));
    if (s.counted && --this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/**
 * HTTP/1.1: more than one Host line (RFC 9112 §3.2 requires a 400). Node keeps the first; a proxy
 * in front of latticed that kept the last would have routed the same bytes elsewhere.
 */
function repeatsHost(raw: readonly string[]): boolean {
  let seen = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 4 || (name !== 'Host' && name !== 'host' && name.toLowerCase() !== 'host')) continue;
    if (seen) return true;
    seen = true;
  }
  return false;
}

function responding(s: RequestState | undefined): boolean {
  return s !== undefined && !s.logged && !s.res.writableFinished;
}

/** One shared listener for every response (no closure per request). */
function onResponseClose(this: TaggedResponse): void {
  const s = this[kState];
  s?.owner?.finish(s);
}

function internalError(s: RequestState, err: unknown): void {
  if (s.logged) return;
  process.emitWarning(`latticed: request failed inside the data plane: ${(err as Error)?.stack ?? String(err)}`);
  sendError(s, 500, 'InternalFailure', 'The request failed inside latticed.', 'InternalFailure');
}
