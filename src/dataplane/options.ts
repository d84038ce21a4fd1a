/** What `startDataPlane` takes, and the limits and timeouts it runs with. */
import type { CredentialResolver } from '../sigv4/types.js';
import type { LatticeCredential } from '../iam/types.js';
import type { AccessLogSink } from '../observability/index.js';
import type { Snapshot } from '../network/snapshot.js';

export interface DataPlaneLimits {
  /** Request line plus headers, in bytes; larger gets 400. */
  maxHeaderBytes: number;
  /** Number of request header fields; more gets 400. */
  maxHeaderCount: number;
  /** A client's x-amzn-requestid is truncated to this many bytes. */
  maxRequestIdBytes: number;
  /** Upstream keep-alive connections per HTTP/1.1 target. */
  upstreamConnectionsPerTarget: number;
}

/** All in milliseconds. */
export interface DataPlaneTimeouts {
  /** Receiving the whole request (headers and body) from an HTTP/1.1 client. */
  requestMs: number;
  /** Receiving the request headers. */
  headersMs: number;
  /** An idle keep-alive connection, client side and upstream. */
  idleMs: number;
  /** Connecting to a target. */
  upstreamConnectMs: number;
  /** From sending the request to a target until its response headers arrive (and between body chunks). */
  upstreamResponseMs: number;
}

export interface DataPlaneOptions {
  snapshot: Snapshot;
  /** Resolves access keys (IAM users' keys, sealed session tokens) for SigV4 verification. */
  credentials: CredentialResolver<LatticeCredential>;
  accessLog: AccessLogSink;
  /** Address the listeners bind to. Default: the snapshot's `settings.listenAddress`, else 127.0.0.1. */
  listenAddress?: string;
  /** Configured port -> port actually bound (0 = any free port). For tests and side-by-side nodes. */
  portOverrides?: ReadonlyMap<number, number> | Readonly<Record<number, number>>;
  /** Bind every listener on a free port (as if every port were overridden with 0). */
  ephemeralPorts?: boolean;
  /** Overrides of the snapshot's `settings.limits`. */
  limits?: Partial<DataPlaneLimits>;
  /** Overrides of the snapshot's `settings.timeouts`. */
  timeouts?: Partial<DataPlaneTimeouts>;
  /** Accept connections from addresses in no VPC (their requests then find no service: 404). Default false. */
  acceptUnknownSources?: boolean;
  /** Clock, for signature expiry, policy time keys and the access log. Default Date.now. */
  now?: () => number;
  /** Run background health checks. Default true. */
  healthChecks?: boolean;
  /** Serve bodiless plain HTTP/1.1 requests on latticed's fast path (http1-fast-path.ts). Default: the snapshot's `settings.http1FastPath`, else true. */
  http1FastPath?: boolean;
}

export interface ResolvedSettings {
  limits: DataPlaneLimits;
  timeouts: DataPlaneTimeouts;
  http1FastPath: boolean;
}

export function resolveSettings(snapshot: Snapshot, options: Pick<DataPlaneOptions, 'limits' | 'timeouts' | 'http1FastPath'>): ResolvedSettings {
  const s = snapshot.settings;
  const limits: DataPlaneLimits = {
    maxHeaderBytes: s?.limits.maxHeaderBytes ?? 65536,
    maxHeaderCount: s?.limits.maxHeaderCount ?? 200,
    maxRequestIdBytes: s?.limits.maxRequestIdBytes ?? 512,
    upstreamConnectionsPerTarget: 128,
    ...options.limits,
  };
  const t = s?.timeouts;
  const timeouts: DataPlaneTimeouts = {
    requestMs: (t?.requestTimeoutSeconds ?? 60) * 1000,
    headersMs: (t?.headersTimeoutSeconds ?? 10) * 1000,
    idleMs: (t?.idleTimeoutSeconds ?? 60) * 1000,
    upstreamConnectMs: (t?.upstreamConnectTimeoutSeconds ?? 10) * 1000,
    upstreamResponseMs: (t?.requestTimeoutSeconds ?? 60) * 1000,
    ...options.timeouts,
  };
  return { limits, timeouts, http1FastPath: options.http1FastPath ?? s?.http1FastPath ?? true };
}
