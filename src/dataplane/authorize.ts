/**
 * The authorization stage (with authentication, only in AWS_IAM pipelines): src/policy's Lattice
 * layering of identity, service-network and service policies over the request context of the
 * normalised path. A deny is Lattice's 403 `AccessDeniedException: …`.
 */
import { authorizeLattice, latticeRequestPreparer, type HttpRequestDescription, type LatticeLayerConfig } from '../policy/index.js';
import type { ServiceNetworkRuntime, ServiceRuntime } from '../network/snapshot.js';
import type { LatticeDecision } from '../policy/index.js';
import { sendAccessDenied } from './responses.js';
import type { RequestState } from './request-state.js';

/** `Layer`, or `Layer:index/Sid` when a statement decided: the access log's policyDecision. */
export function describeDecision(d: LatticeDecision): string {
  if (d.layer === undefined) return '-';
  const st = d.statement;
  if (st === undefined) return d.layer;
  return st.sid === undefined ? `${d.layer}:${st.index}` : `${d.layer}:${st.index}/${st.sid}`;
}

export function authorizeStage(network: ServiceNetworkRuntime, service: ServiceRuntime, now: () => number): (s: RequestState) => boolean {
  const networkLayer: LatticeLayerConfig = network.policy === undefined ? { authType: network.authType } : { authType: network.authType, policy: network.policy };
  const serviceLayer: LatticeLayerConfig = service.policy === undefined ? { authType: service.authType } : { authType: service.authType, policy: service.policy };
  // The caller's context keys are prepared once per caller; the request's own are read on demand.
  const prepare = latticeRequestPreparer();
  return (s) => {
    const id = s.verified?.credential.identity;
    const vpc = s.conn.vpc;
    const desc: HttpRequestDescription = {
      principal: id === undefined ? 'anonymous' : id.arn,
      method: s.req.method ?? 'GET',
      path: s.query === '' ? s.path : s.path + s.query,
      headers: s.headers,
      port: s.conn.port,
      serviceArn: service.arn,
      serviceNetworkArn: network.arn,
      sourceIp: s.conn.sourceIp,
      secureTransport: s.conn.secure,
      resourceTags: service.tags,
      time: now(),
    };
    if (vpc !== undefined) {
      desc.sourceVpc = vpc.id;
      desc.sourceVpcOwnerAccount = vpc.ownerAccount;
    }
    if (id !== undefined) {
      desc.principalType = id.type;
      desc.principalAccount = id.account;
      desc.principalTags = id.tags;
      desc.userId = id.userId;
      if (id.orgId !== undefined) desc.principalOrgId = id.orgId;
      if (id.orgPaths !== undefined) desc.principalOrgPaths = id.orgPaths;
      if (id.sessionName !== undefined) desc.sessionName = id.sessionName;
      if (id.sourceIdentity !== undefined) desc.sourceIdentity = id.sourceIdentity;
      if (id.roleArn !== undefined) desc.principalRoleArn = id.roleArn;
    }
    const decision = authorizeLattice(
      { identityPolicies: id?.identityPolicies ?? [], network: networkLayer, service: serviceLayer },
      prepare(desc),
    );
    s.record.policyDecision = describeDecision(decision);
    if (decision.allowed) return true;
    s.record.authDeniedReason = decision.layer ?? '-';
    sendAccessDenied(s, decision.message ?? 'Access denied');
    return false;
  };
}
