/**
 * Public types of the policy engine. This file is the contract other modules build on; keep it stable.
 */

/** A condition-context value: IAM keys are single- or multi-valued strings (numbers/booleans are stringified). */
export type ContextValue = string | readonly string[];

/**
 * The IAM-level request a single policy is evaluated against (what IAM's simulator calls a request).
 * Context keys are matched case-insensitively; supply them in any case.
 */
export interface EvaluationRequest {
  /** Principal ARN (`arn:aws:sts::123456789012:assumed-role/R/s`, `arn:aws:iam::…:user/u`, …) or `anonymous`. */
  principal: string;
  /** `service:Action`, e.g. `vpc-lattice-svcs:Invoke`. */
  action: string;
  /** Resource ARN, e.g. `arn:aws:vpc-lattice:us-west-2:123456789012:service/svc-0123456789abcdef0/api/stock`. */
  resource: string;
  /** Account that owns the resource (same-account vs cross-account rules). */
  resourceAccount?: string;
  context: Readonly<Record<string, ContextValue | undefined>>;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** Why one statement did not apply. */
export type Mismatch =
  | { element: 'Principal' | 'NotPrincipal' | 'Action' | 'NotAction' | 'Resource' | 'NotResource' }
  | { element: 'Condition'; operator: string; key: string };

export interface StatementRef {
  index: number;
  sid?: string;
}

export interface StatementTrace extends StatementRef {
  effect: 'Allow' | 'Deny';
  /** undefined when the statement matched the request. */
  mismatch?: Mismatch;
}

/** The result of evaluating one policy. */
export interface PolicyResult {
  decision: Decision;
  /** The statements that determined the decision (the matching Deny statements, or the matching Allow statements). */
  determining: readonly StatementRef[];
  /** For a deny, why each statement did not match. Filled only when `explain: true` is asked for. */
  trace?: readonly StatementTrace[];
}

export interface PolicyIssue {
  /** JSONPath into the policy document, e.g. `$.Statement[1].Condition`. */
  path: string;
  message: string;
}

export type AuthType = 'NONE' | 'AWS_IAM';

/** Lattice's layers; these strings are the access log's `authDeniedReason` values. */
export type Layer = 'Identity' | 'Network' | 'Service';

/** The result of Lattice authorization across identity, network and service layers. */
export interface LatticeDecision {
  allowed: boolean;
  /** The layer that decided a deny, or the last layer that allowed. undefined when no layer applied (all NONE). */
  layer?: Layer;
  /** The determining statement in that layer's policy. */
  statement?: StatementRef;
  /** Per-layer results, in evaluation order, for explanations. */
  layers: readonly { layer: Layer; result: PolicyResult }[];
  /** AWS's AccessDeniedException message for a deny. */
  message?: string;
}

// ---------------------------------------------------------------------------------------------
// Added by the policy core: the parsed document, options, and the compiled/prepared handles.
// ---------------------------------------------------------------------------------------------

/** Which kind of policy a document is: identity policies must not name a Principal; resource policies must. */
export type PolicyKind = 'identity' | 'resource';

export interface PolicyOptions {
  /** Default `identity`. Lattice auth policies (service network, service) are `resource` policies. */
  kind?: PolicyKind;
  /**
   * Maximum size of the document in bytes of its JSON text. Default: 10240 (Lattice's auth-policy limit)
   * for `resource` policies, no limit for `identity` policies. `0` or `Infinity` disables the check.
   */
  maxBytes?: number;
  /** Require `Resource`/`NotResource` in every statement. Default true (trust policies may set false). */
  requireResource?: boolean;
  /**
   * Resource policies: require `Principal`/`NotPrincipal` in every statement. Default true. When false, a
   * statement without one is accepted with a warning and never matches (as in IAM).
   */
  requirePrincipal?: boolean;
  /**
   * The actions this policy will be evaluated for (e.g. `['vpc-lattice-svcs:Invoke']` for a Lattice
   * auth policy). When given, validatePolicy warns about statements whose Action/NotAction can match
   * none of them (a typo such as `vpc-lattice:Invoke`).
   */
  actions?: readonly string[];
}

/** A Principal/NotPrincipal value: `"*"` or a map of principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) to values. */
export type PrincipalSpec = '*' | Readonly<Record<string, readonly string[]>>;

export interface ConditionEntry {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  /** The condition key as written, e.g. `aws:PrincipalTag/team`. */
  key: string;
  /** The values, stringified (numbers and booleans become their JSON text). */
  values: readonly string[];
}

export interface PolicyStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: readonly string[];
  notAction?: readonly string[];
  resource?: readonly string[];
  notResource?: readonly string[];
  conditions: readonly ConditionEntry[];
}

/** A parsed, validated policy document. */
export interface Policy {
  version: '2012-10-17' | '2008-10-17';
  id?: string;
  statements: readonly PolicyStatement[];
  /** The kind it was validated as. */
  kind: PolicyKind;
}

export interface ValidationReport {
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
}

export interface EvaluateOptions {
  /** Fill `PolicyResult.trace` with, per statement, why it did not match. Costs allocations; off on the hot path. */
  explain?: boolean;
}
