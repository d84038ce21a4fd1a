/**
 * The last stage: listener rules (by priority, then the default action), a weighted target-group
 * choice, round robin among healthy targets, then forwarding with x-forwarded-* and Lattice's
 * identity headers added.
 */
import type { CallerIdentity } from '../iam/types.js';
import type { ListenerRuntime, ServiceNetworkRuntime, ServiceRuntime } from '../network/snapshot.js';
import type { Balancer } from './balancer.js';
import { forwardHttp1, forwardHttp2 } from './forward.js';
import { ANONYMOUS_IDENTITY, identityHeader, identityTagsHeader, networkHeader, targetHeader } from './identity-headers.js';
import { sendError, sendFixed } from './responses.js';
import type { RequestState } from './request-state.js';
import type { Upstreams } from './upstreams.js';

export interface RouteRuntime {
  balancer: Balancer;
  upstreams: Upstreams;
}

/** Identity headers depend only on the identity: computed once per identity object. */
const identityCache = new WeakMap<CallerIdentity, { identity: string; tags: string }>();

function identityHeaders(id: CallerIdentity): { identity: string; tags: string } {
  let h = identityCache.get(id);
  if (h === undefined) {
    h = { identity: identityHeader(id), tags: identityTagsHeader(id) };
    identityCache.set(id, h);
  }
  return h;
}

export function routeStage(rt: RouteRuntime, listener: ListenerRuntime, service: ServiceRuntime, network: ServiceNetworkRuntime): (s: RequestState) => boolean {
  const authenticated = network.authType === 'AWS_IAM' || service.authType === 'AWS_IAM';
  // Per target group, the x-amzn-lattice-target value is fixed: cache it.
  const targetHeaders = new Map<string, string>();
  const targetValue = (tgArn: string): string => {
    let v = targetHeaders.get(tgArn);
    if (v === undefined) {
      v = targetHeader(service.arn, network.arn, tgArn);
      targetHeaders.set(tgArn, v);
    }
    return v;
  };
  return (s) => {
    const method = s.req.method ?? 'GET';
    const matched = listener.match(method, s.path, s.headers);
    const action = matched.action;
    if (action.type === 'fixedResponse') {
      sendFixed(s, action.statusCode);
      return false;
    }
    const group = rt.balancer.chooseGroup(action.targetGroups, action.totalWeight);
    if (group === undefined) {
      sendError(s, 503, 'ServiceUnavailableException', 'No target group can take the request.', 'NoTargets');
      return false;
    }
    s.targetGroup = group;
    s.record.targetGroupArn = group.arn;
    const target = rt.balancer.chooseTarget(group);
    if (target === undefined) {
      sendError(s, 503, 'ServiceUnavailableException', 'The target group has no targets.', 'NoTargets');
      return false;
    }
    s.target = target;
    s.record.targetIpPort = target.address.indexOf(':') >= 0 ? `[${target.address}]:${target.port}` : `${target.address}:${target.port}`;

    const h = s.headers;
    h['x-forwarded-for'] = s.conn.sourceIp;
    h['x-forwarded-port'] = String(s.conn.port);
    h['x-forwarded-proto'] = s.conn.secure ? 'https' : 'http';
    h['x-amzn-requestid'] = s.requestId;
    if (authenticated) {
      const id = s.verified?.credential.identity;
      if (id !== undefined) {
        const ih = identityHeaders(id);
        h['x-amzn-lattice-identity'] = ih.identity;
        h['x-amzn-lattice-identity-tags'] = ih.tags;
      } else {
        h['x-amzn-lattice-identity'] = ANONYMOUS_IDENTITY;
      }
    }
    if (s.conn.vpc !== undefined) h['x-amzn-lattice-network'] = networkHeader(s.conn.vpc.arn);
    h['x-amzn-lattice-target'] = targetValue(group.arn);

    if (group.protocolVersion === 'HTTP1') {
      forwardHttp1(s, rt.upstreams, h);
    } else {
      delete h.host;
      forwardHttp2(s, rt.upstreams, h);
    }
    return true;
  };
}
