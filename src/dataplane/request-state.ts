/**
 * The per-request state every stage reads and writes. One object per request, with every field
 * present from construction so that the hot path stays monomorphic.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse, ClientHttp2Stream } from 'node:http2';
import type { LatticeCredential } from '../iam/types.js';
import type { VerifiedIdentity } from '../sigv4/types.js';
import type { ListenerRuntime, ServiceNetworkRuntime, ServiceRuntime, Snapshot, TargetGroupRuntime, TargetRuntime } from '../network/snapshot.js';
import type { AccessLogRecord } from '../observability/index.js';
import type { ConnectionInfo } from './connection-info.js';
import type { Http1Relay } from './http1-relay.js';

export type InboundRequest = IncomingMessage | Http2ServerRequest;
export type InboundResponse = ServerResponse | Http2ServerResponse;

export class RequestState {
  /** Monotonic start, in ms (performance.now()). */
  readonly started: number;
  service: ServiceRuntime | undefined = undefined;
  listener: ListenerRuntime | undefined = undefined;
  network: ServiceNetworkRuntime | undefined = undefined;
  /** The normalised path (authorized and forwarded) and the query (`?…` or ''). */
  path = '';
  query = '';
  /** The query as received (`query` loses presigned-URL parameters once latticed consumes them). */
  rawQuery = '';
  requestId = '';
  host = '';
  /** Incoming headers minus x-amzn-lattice-*, hop-by-hop and pseudo-headers: what policies see and targets get. */
  headers: Record<string, string | string[]> = {};
  verified: VerifiedIdentity<LatticeCredential> | undefined = undefined;
  targetGroup: TargetGroupRuntime | undefined = undefined;
  target: TargetRuntime | undefined = undefined;
  /** Set when forwarding started, for requestToTargetDuration. */
  forwardedAt = 0;
  responseAt = 0;
  /** The upstream HTTP/2 stream, cancelled if the client goes away first. */
  upstream: ClientHttp2Stream | undefined = undefined;
  /** The upstream HTTP/1.1 exchange, cancelled likewise. */
  relay: Http1Relay | undefined = undefined;
  /**
   * HTTP/2 only (its streams share the connection's counters): request and response body bytes
   * relayed or written, for the access log.
   */
  bodyBytesIn = 0;
  bodyBytesOut = 0;
  /** The access-log record has been written. */
  logged = false;
  /** The request was counted as in flight. */
  counted = false;
  /** Who writes the record when the response closes. */
  owner: { finish(s: RequestState): void } | undefined = undefined;

  /** The HTTP/1.1 socket (Node detaches it from the request when the response ends). */
  readonly socket: import('node:net').Socket | null;

  constructor(
    readonly snapshot: Snapshot,
    readonly req: InboundRequest,
    readonly res: InboundResponse,
    readonly conn: ConnectionInfo,
    readonly record: AccessLogRecord,
  ) {
    this.started = performance.now();
    this.socket = req.httpVersionMajor === 2 ? null : req.socket;
  }
}
