/**
 * One access-log record: Lattice's `VpcLatticeAccessLogs` fields, in Lattice's names, with `"-"`
 * where a value is absent, plus latticed's documented extensions (see docs/dataplane.md).
 */

/** The value of an absent field, as Lattice writes it. */
export const ABSENT = '-';

export type AuthenticationType = 'NONE' | 'SIGV4' | 'SIGV4A' | 'SIGV4_PRESIGNED' | 'ANONYMOUS';

/**
 * Why a request did not reach a target or did not complete. Lattice writes `-` for a success;
 * `ClientAccessDenied` is Lattice's value for an auth-policy deny; the others are latticed's.
 */
export type FailureReason =
  | 'ClientAccessDenied'
  | 'AuthenticationFailed'
  | 'SecurityGroupDenied'
  | 'UnknownSourceVpc'
  | 'VpcNotAssociated'
  | 'ServiceNotFound'
  | 'InvalidPath'
  | 'MalformedRequest'
  | 'HeaderLimitExceeded'
  | 'NoTargets'
  | 'TargetConnectionError'
  | 'TargetTimeout'
  | 'TargetResetError'
  | 'ClientAborted'
  | 'ClientTimeout'
  | 'ShuttingDown'
  | 'InternalFailure';

export interface AccessLogRecord {
  // --- Lattice's VpcLatticeAccessLogs fields ---
  startTime: string;
  serviceNetworkArn: string;
  serviceArn: string;
  targetGroupArn: string;
  listenerId: string;
  listenerType: string;
  sourceVpcId: string;
  sourceVpcArn: string;
  destinationVpcId: string;
  sourceIpPort: string;
  targetIpPort: string;
  requestMethod: string;
  requestPath: string;
  protocol: string;
  responseCode: number | string;
  grpcResponseCode: number | string;
  bytesReceived: number;
  bytesSent: number;
  duration: number;
  requestToTargetDuration: number | string;
  responseFromTargetDuration: number | string;
  userAgent: string;
  hostHeader: string;
  serverNameIndication: string;
  sslCipher: string;
  tlsVersion: string;
  callerPrincipal: string;
  callerPrincipalOrgID: string;
  resolvedUser: string;
  authDeniedReason: string;
  failureReason: string;
  callerX509IssuerOU: string;
  callerX509SubjectCN: string;
  callerX509SANNameCN: string;
  callerX509SANDNS: string;
  callerX509SANURI: string;
  // --- latticed extensions ---
  /** The x-amzn-requestid returned to the client. */
  requestId: string;
  authenticationType: AuthenticationType | string;
  sourceIdentity: string;
  /** `Layer` or `Layer:statement` (index, and Sid when it has one), e.g. `Service:1/AllowStock`. */
  policyDecision: string;
  /** The decision a shadow policy would have made (reserved; `-` until shadow mode ships). */
  shadowDecision: string;
}

/** A fresh record with every field absent. The data plane fills in what it learns. */
export function emptyRecord(): AccessLogRecord {
  return {
    startTime: ABSENT,
    serviceNetworkArn: ABSENT,
    serviceArn: ABSENT,
    targetGroupArn: ABSENT,
    listenerId: ABSENT,
    listenerType: ABSENT,
    sourceVpcId: ABSENT,
    sourceVpcArn: ABSENT,
    destinationVpcId: ABSENT,
    sourceIpPort: ABSENT,
    targetIpPort: ABSENT,
    requestMethod: ABSENT,
    requestPath: ABSENT,
    protocol: ABSENT,
    responseCode: ABSENT,
    grpcResponseCode: ABSENT,
    bytesReceived: 0,
    bytesSent: 0,
    duration: 0,
    requestToTargetDuration: ABSENT,
    responseFromTargetDuration: ABSENT,
    userAgent: ABSENT,
    hostHeader: ABSENT,
    serverNameIndication: ABSENT,
    sslCipher: ABSENT,
    tlsVersion: ABSENT,
    callerPrincipal: ABSENT,
    callerPrincipalOrgID: ABSENT,
    resolvedUser: ABSENT,
    authDeniedReason: ABSENT,
    failureReason: ABSENT,
    callerX509IssuerOU: ABSENT,
    callerX509SubjectCN: ABSENT,
    callerX509SANNameCN: ABSENT,
    callerX509SANDNS: ABSENT,
    callerX509SANURI: ABSENT,
    requestId: ABSENT,
    authenticationType: ABSENT,
    sourceIdentity: ABSENT,
    policyDecision: ABSENT,
    shadowDecision: ABSENT,
  };
}

/** Every field name, in the order records are written. */
export const ACCESS_LOG_FIELDS: readonly (keyof AccessLogRecord)[] = Object.keys(emptyRecord()) as (keyof AccessLogRecord)[];

/** Where records go. `write` must never block or throw into the request path. */
export interface AccessLogSink {
  write(record: AccessLogRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}
