/**
 * What a connection's first stage decided: the source address, its VPC and the association whose
 * security groups let it in, for one snapshot. Cached on the socket; recomputed when the snapshot changes.
 */
import type { Socket } from 'node:net';
import type { Snapshot, VpcRuntime, VpcAssociationRuntime } from '../network/snapshot.js';
import type { FailureReason } from '../observability/index.js';
import type { RequestState } from './request-state.js';

export interface ConnectionInfo {
  snapshot: Snapshot;
  sourceIp: string;
  sourcePort: number;
  /** `ip:port` as the access log writes it. */
  sourceIpPort: string;
  vpc: VpcRuntime | undefined;
  association: VpcAssociationRuntime | undefined;
  /** Why the connection may not be used, when it may not. */
  refused: FailureReason | undefined;
  /** Configured listener port (not the bound one). */
  port: number;
  secure: boolean;
  /** HTTPS only: the SNI name, negotiated cipher and TLS version. */
  serverName: string | undefined;
  sslCipher: string | undefined;
  tlsVersion: string | undefined;
  /** Socket counters at the end of the previous request on this connection (HTTP/1.1 byte counts). */
  lastBytesRead: number;
  lastBytesWritten: number;
  /**
   * HTTP/1.1: the latest request on the connection, kept until its response has closed with its body
   * complete. A parse error, or a pipelined CONNECT, is matched against it.
   */
  active: RequestState | undefined;
}

function plainIp(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.indexOf('.') > 0 ? address.slice(7) : address;
}

/** L3/L4: the source address's VPC, and whether its association's security groups allow the port. */
export function gateConnection(socket: Socket, snapshot: Snapshot, port: number, secure: boolean, acceptUnknown: boolean): ConnectionInfo {
  const sourceIp = plainIp(socket.remoteAddress);
  const sourcePort = socket.remotePort ?? 0;
  const info: ConnectionInfo = {
    snapshot,
    sourceIp,
    sourcePort,
    sourceIpPort: sourceIp.indexOf(':') >= 0 ? `[${sourceIp}]:${sourcePort}` : `${sourceIp}:${sourcePort}`,
    vpc: undefined,
    association: undefined,
    refused: undefined,
    port,
    secure,
    serverName: undefined,
    sslCipher: undefined,
    tlsVersion: undefined,
    lastBytesRead: 0,
    lastBytesWritten: 0,
    active: undefined,
  };
  regate(info, snapshot, acceptUnknown);
  return info;
}

/** Re-evaluates a connection against another snapshot (after a swap), in place. */
export function regate(info: ConnectionInfo, snapshot: Snapshot, acceptUnknown: boolean): void {
  info.snapshot = snapshot;
  info.vpc = snapshot.vpcForAddress(info.sourceIp);
  info.association = info.vpc?.association;
  info.refused = undefined;
  if (info.vpc === undefined) {
    if (!acceptUnknown) info.refused = 'UnknownSourceVpc';
  } else if (info.association === undefined) {
    info.refused = 'VpcNotAssociated';
  } else if (!info.association.allowsIngress(info.sourceIp, info.port)) {
    info.refused = 'SecurityGroupDenied';
  }
}
