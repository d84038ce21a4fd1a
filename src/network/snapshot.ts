/**
 * The compiled, immutable view of the whole configuration that every data-plane stage reads.
 * Built by src/network from a configuration; swapped atomically on reload. Nothing here is
 * mutated after construction, and nothing here reads a store or a file at request time.
 * Mutable runtime state (target health, pools) lives in src/dataplane, keyed by the ids below.
 */
import type { CompiledPolicy, AuthType } from '../policy/index.js';
import type { IamSnapshot } from '../iam/types.js';

export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface Snapshot {
  /** Increases by one each time a new snapshot is swapped in. */
  readonly revision: number;
  /** SHA-256 of the canonical configuration: a reload whose hash matches does nothing. */
  readonly hash: string;
  readonly region: string;
  readonly iam: IamSnapshot;
  /** Source address -> VPC (most specific CIDR wins). */
  vpcForAddress(ip: string): VpcRuntime | undefined;
  /** Every local port a listener needs, with its protocol and TLS material. */
  readonly ports: ReadonlyMap<number, PortBinding>;
  /** By target-group id. */
  readonly targetGroups: ReadonlyMap<string, TargetGroupRuntime>;
  /** Added by src/network: the file's `node` section with every default filled in. */
  readonly settings: NodeSettings;
  /** Added by src/network: every service network and service, by id (for the CLI, APIs and explanations). */
  readonly serviceNetworks: ReadonlyMap<string, ServiceNetworkRuntime>;
  readonly services: ReadonlyMap<string, ServiceRuntime>;
}

/**
 * Node settings (the file's `node` section, defaults filled in; docs/configuration.md). Paths are
 * absolute (resolved against the configuration file's directory). Times are in seconds.
 */
export interface NodeSettings {
  /** Address the listeners bind to. Default 127.0.0.1. */
  listenAddress: string;
  /** Worker processes (node:cluster). Default 1. */
  workers: number;
  /** State directory; undefined means the CLI's default. */
  stateDir?: string;
  accessLog: {
    /** Access-log file; undefined means `access.log` in the state directory. */
    file?: string;
    /** Also write each record to stdout. Default false. */
    stdout: boolean;
    /** Bytes of records buffered before a write (records also reach the file within 1 s). Default 131072; 0 writes each record at once. */
    bufferBytes: number;
  };
  /**
   * Header-signed requests remembered once verified, so that the same signed request again skips the
   * signature computation (time, credentials and secret are still checked). Default 10000; 0 = off.
   */
  verifiedSignatureCacheSize: number;
  /**
   * Let `;` path parameters through to policies and targets (except on empty and dot segments).
   * Default false: such a path is 400, since servlet containers strip them and see another path.
   */
  allowPathParameters: boolean;
  /** Serve bodiless plain HTTP/1.1 requests on the data plane's fast path (read at start). Default true. */
  http1FastPath: boolean;
  limits: {
    /** Total size of the request line and headers; larger gets 400. Default 65536. */
    maxHeaderBytes: number;
    /** Number of request headers; more gets 400. Default 200. */
    maxHeaderCount: number;
    /** A client's x-amzn-requestid is truncated to this many bytes. Default 512. */
    maxRequestIdBytes: number;
  };
  timeouts: {
    /** Whole request, from first byte to the end of the response. Default 60. */
    requestTimeoutSeconds: number;
    /** Receiving the request headers. Default 10. */
    headersTimeoutSeconds: number;
    /** An idle keep-alive connection (client side and upstream). Default 60. */
    idleTimeoutSeconds: number;
    /** Connecting to a target. Default 10. */
    upstreamConnectTimeoutSeconds: number;
    /** On SIGTERM, how long in-flight requests may take before connections are closed. Default 30. */
    shutdownGraceSeconds: number;
  };
}

export interface PortBinding {
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  /** For HTTPS ports: certificates, chosen by SNI; the first is the default. PEM strings, read at build time. */
  certificates: readonly { serverNames: readonly string[]; cert: string; key: string }[];
}

export interface VpcRuntime {
  id: string;
  arn: string;
  ownerAccount: string;
  /** The VPC's association with a service network; a VPC belongs to at most one. */
  association?: VpcAssociationRuntime;
}

export interface VpcAssociationRuntime {
  id: string;
  arn: string;
  serviceNetwork: ServiceNetworkRuntime;
  securityGroupIds: readonly string[];
  /** L3/L4: do this association's security groups allow TCP from `sourceIp` to `port`? */
  allowsIngress(sourceIp: string, port: number): boolean;
}

export interface ServiceNetworkRuntime {
  id: string;
  arn: string;
  name: string;
  authType: AuthType;
  policy?: CompiledPolicy;
  /** port -> host (lower-case, without port) -> the associated service listening there. */
  routes: ReadonlyMap<number, ReadonlyMap<string, ServiceRuntime>>;
}

export interface ServiceRuntime {
  id: string;
  arn: string;
  name: string;
  /** Generated Lattice-form DNS name: `NAME-ID-HEX.7d67968.vpc-lattice-svcs.REGION.on.aws`. */
  dnsName: string;
  customDomainName?: string;
  authType: AuthType;
  policy?: CompiledPolicy;
  tags: Readonly<Record<string, string>>;
  /** By port. */
  listeners: ReadonlyMap<number, ListenerRuntime>;
}

export interface ListenerRuntime {
  id: string;
  arn: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  /**
   * Rules by priority, then the default action. `path` is the normalised path without the query;
   * `method` is upper-case; `headers` lower-case names.
   */
  match(method: string, path: string, headers: HeaderMap): MatchedRoute;
}

export interface MatchedRoute {
  /** The rule's ARN, or undefined for the listener's default action. */
  ruleArn?: string;
  action: RouteAction;
}

export type RouteAction =
  | { type: 'forward'; targetGroups: readonly WeightedTargetGroup[]; totalWeight: number }
  | { type: 'fixedResponse'; statusCode: number };

export interface WeightedTargetGroup {
  targetGroup: TargetGroupRuntime;
  weight: number;
}

export interface TargetGroupRuntime {
  id: string;
  arn: string;
  name: string;
  type: 'IP' | 'INSTANCE';
  protocol: 'HTTP' | 'HTTPS';
  protocolVersion: 'HTTP1' | 'HTTP2' | 'GRPC';
  port: number;
  healthCheck: HealthCheckConfig;
  targets: readonly TargetRuntime[];
}

export interface TargetRuntime {
  /** IP address for IP targets, instance id for INSTANCE targets. */
  id: string;
  /** Where to connect (IP or hostname). */
  address: string;
  port: number;
  /** Stable key for health state and pools: `${targetGroupId}/${address}:${port}`. */
  key: string;
}

/** Lattice's HealthCheckConfig shape, with Lattice's defaults filled in. */
export interface HealthCheckConfig {
  enabled: boolean;
  protocol: 'HTTP' | 'HTTPS';
  protocolVersion: 'HTTP1' | 'HTTP2';
  port?: number;
  path: string;
  healthCheckIntervalSeconds: number;
  healthCheckTimeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  /** e.g. "200" or "200-299". */
  matcher: { httpCode: string };
}
