/**
 * Lattice authorization: the caller's identity policies, then the service-network auth policy, then
 * the service auth policy, in the order AWS documents ("How authorization works", VPC Lattice user
 * guide). One pure pass; the request is prepared once and shared by every policy of every layer.
 */
import type { CompiledPolicy } from './compile.js';
import { evaluatePolicy } from './evaluate.js';
import { PreparedRequest } from './prepare.js';
import type { AuthType, EvaluateOptions, EvaluationRequest, Layer, LatticeDecision, PolicyResult, StatementRef } from './types.js';

/** A service network's or a service's access settings. */
export interface LatticeLayerConfig {
  authType: AuthType;
  /** The auth policy; with `AWS_IAM` and no policy every request is denied. Ignored with `NONE`. */
  policy?: CompiledPolicy;
}

export interface LatticeAuthorization {
  /**
   * The caller's identity-based policies. For an authenticated caller they must allow the call; not
   * supplying them counts as having none (AWS: "If there is no explicit allow statement, AWS does not
   * authorize the request"). Anonymous callers have none and skip this layer.
   */
  identityPolicies?: readonly CompiledPolicy[];
  /**
   * Skip the identity layer even for an authenticated caller: treat its identity policies as allowing.
   * For simulating auth policies alone (`latticed policy simulate --skip-identity`); never on the data plane.
   */
  skipIdentity?: boolean;
  network?: LatticeLayerConfig;
  service?: LatticeLayerConfig;
}

/** One evaluated policy of a layer. */
export interface LatticeLayerResult {
  layer: Layer;
  result: PolicyResult;
  /** For the Identity layer: which of `identityPolicies` this is. */
  policyIndex?: number;
  /** The layer's authType is AWS_IAM but it has no auth policy (or the caller has no identity policy). */
  noPolicy?: boolean;
}

export interface LatticeAuthorizationResult extends LatticeDecision {
  layers: readonly LatticeLayerResult[];
  /** `explicit` when a Deny statement decided, `implicit` when no policy of the layer allowed. */
  denial?: 'explicit' | 'implicit';
}

const NO_POLICY: PolicyResult = Object.freeze({ decision: 'ImplicitDeny', determining: Object.freeze([]) });
const OPEN: LatticeAuthorizationResult = Object.freeze({ allowed: true, layers: Object.freeze([]) });

const NOUN: Record<Layer, string> = { Identity: 'an identity', Network: 'a network', Service: 'a service' };
const ADJ: Record<Layer, string> = { Identity: 'identity', Network: 'network', Service: 'service' };

/**
 * AWS's AccessDeniedException message, word for word:
 * `User: <arn|anonymous> is not authorized to perform: <action> on resource: <resource> because no
 * <layer>-based policy allows the <action> action`, or `… with an explicit deny in a <layer>-based policy`.
 */
export function latticeDenyMessage(principal: string, action: string, resource: string, layer: Layer, explicit: boolean): string {
  const head = `User: ${principal} is not authorized to perform: ${action} on resource: ${resource}`;
  return explicit
    ? `${head} with an explicit deny in ${NOUN[layer]}-based policy`
    : `${head} because no ${ADJ[layer]}-based policy allows the ${action} action`;
}

function iam(l: LatticeLayerConfig | undefined): l is LatticeLayerConfig {
  return l !== undefined && l.authType === 'AWS_IAM';
}

function first(result: PolicyResult): StatementRef | undefined {
  return result.determining[0];
}

/**
 * Decides a Lattice request. Evaluation order and rules:
 *  1. With both the network and the service on authType NONE nothing is evaluated: allowed.
 *  2. Every applicable policy is evaluated once; an explicit deny in any of them wins (the first in
 *     the order Identity, Network, Service names the layer).
 *  3. An authenticated caller needs an Allow from one of its identity policies; anonymous callers skip this.
 *  4. The network layer, when AWS_IAM, needs its policy to allow (no policy: deny).
 *  5. The service layer, when AWS_IAM, needs its policy to allow (no policy: deny).
 * An allowed result names the last layer that allowed and its determining statement.
 */
export function authorizeLattice(
  auth: LatticeAuthorization,
  request: EvaluationRequest | PreparedRequest,
  options?: EvaluateOptions,
): LatticeAuthorizationResult {
  const network = iam(auth.network) ? auth.network : undefined;
  const service = iam(auth.service) ? auth.service : undefined;
  if (network === undefined && service === undefined) return OPEN;

  const req = request instanceof PreparedRequest ? request : new PreparedRequest(request);
  const layers: LatticeLayerResult[] = [];

  // Identity: one entry per identity policy; the layer allows when any of them allows.
  let identityAllow: LatticeLayerResult | undefined;
  let identityDeny: LatticeLayerResult | undefined;
  const identity = !req.principal.anonymous && auth.skipIdentity !== true;
  if (identity) {
    const policies = auth.identityPolicies ?? [];
    for (let i = 0; i < policies.length; i++) {
      const entry: LatticeLayerResult = { layer: 'Identity', result: evaluatePolicy(policies[i]!, req, options), policyIndex: i };
      layers.push(entry);
      if (entry.result.decision === 'ExplicitDeny') identityDeny ??= entry;
      else if (entry.result.decision === 'Allow') identityAllow ??= entry;
    }
    if (policies.length === 0) layers.push({ layer: 'Identity', result: NO_POLICY, noPolicy: true });
  }
  const net = network === undefined ? undefined : layerResult('Network', network, req, options);
  if (net !== undefined) layers.push(net);
  const svc = service === undefined ? undefined : layerResult('Service', service, req, options);
  if (svc !== undefined) layers.push(svc);

  const explicit =
    identityDeny ?? (net?.result.decision === 'ExplicitDeny' ? net : svc?.result.decision === 'ExplicitDeny' ? svc : undefined);
  if (explicit !== undefined) return deny(req, layers, explicit, true);
  if (identity && identityAllow === undefined) return deny(req, layers, layers[0]!, false);
  if (net !== undefined && net.result.decision !== 'Allow') return deny(req, layers, net, false);
  if (svc !== undefined && svc.result.decision !== 'Allow') return deny(req, layers, svc, false);

  const last = svc ?? net!;
  const decision: LatticeAuthorizationResult = { allowed: true, layer: last.layer, layers };
  const statement = first(last.result);
  if (statement !== undefined) decision.statement = statement;
  return decision;
}

function layerResult(layer: Layer, config: LatticeLayerConfig, req: PreparedRequest, options: EvaluateOptions | undefined): LatticeLayerResult {
  if (config.policy === undefined) return { layer, result: NO_POLICY, noPolicy: true };
  return { layer, result: evaluatePolicy(config.policy, req, options) };
}

function deny(req: PreparedRequest, layers: LatticeLayerResult[], by: LatticeLayerResult, explicit: boolean): LatticeAuthorizationResult {
  const principal = req.principal.anonymous ? 'anonymous' : req.principal.raw;
  const result: LatticeAuthorizationResult = {
    allowed: false,
    layer: by.layer,
    layers,
    denial: explicit ? 'explicit' : 'implicit',
    message: latticeDenyMessage(principal, req.action, req.resource, by.layer, explicit),
  };
  const statement = explicit ? first(by.result) : undefined;
  if (statement !== undefined) result.statement = statement;
  return result;
}
