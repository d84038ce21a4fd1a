/**
 * latticed/policy — the IAM policy language as VPC Lattice uses it. Pure: no I/O.
 *
 * Life cycle:
 *  1. At store time, `compilePolicy(doc, { kind })` parses, validates (throwing `PolicyValidationError`
 *     with every issue and its JSON path) and compiles the document into matchers. Do this once.
 *  2. Per request, `prepareRequest(request)` builds a `PreparedRequest`: context keys lowercased into a
 *     map, the principal ARN parsed, the action lowercased, the source IP parsed. Do this once per
 *     request and pass the same `PreparedRequest` to every policy of every layer.
 *  3. `evaluatePolicy(compiled, preparedOrRaw, { explain })` gives `Allow` / `ExplicitDeny` /
 *     `ImplicitDeny` with the determining statements. It accepts a raw `EvaluationRequest` too (it then
 *     prepares it itself: convenient, but repeated per policy). It never re-parses the policy and
 *     allocates nothing on the allow path beyond the result object when `explain` is off.
 *
 * `validatePolicy` never throws: it returns `{ errors, warnings }` (warnings flag statements that can
 * never match; pass `actions: ['vpc-lattice-svcs:Invoke']` to also flag Actions that cannot match it).
 * `parsePolicy` returns the parsed `Policy` or throws `PolicyValidationError`.
 * Options (`PolicyOptions`): `kind` (`identity` default, or `resource` for auth policies: Principal
 * required), `maxBytes` (default 10240 = LATTICE_POLICY_MAX_BYTES for resource policies, none for
 * identity policies), `requireResource`, `requirePrincipal`, `actions`.
 * `explainResult` turns a `PolicyResult` (evaluated with `explain: true`) into human-readable lines.
 */
export type {
  ContextValue,
  EvaluationRequest,
  Decision,
  Mismatch,
  StatementRef,
  StatementTrace,
  PolicyResult,
  PolicyIssue,
  AuthType,
  Layer,
  LatticeDecision,
  PolicyKind,
  PolicyOptions,
  PrincipalSpec,
  ConditionEntry,
  PolicyStatement,
  Policy,
  ValidationReport,
  EvaluateOptions,
} from './types.js';
export { PolicyValidationError } from './errors.js';
export { parsePolicy, LATTICE_POLICY_MAX_BYTES } from './parse.js';
export { OPERATOR_NAMES } from './operators/index.js';
export { validatePolicy } from './validate.js';
export { compilePolicy, CompiledPolicy } from './compile.js';
export { prepareRequest, PreparedRequest } from './prepare.js';
export { evaluatePolicy } from './evaluate.js';
export { explainResult, describeMismatch } from './explain.js';
export * from './lattice-exports.js';
