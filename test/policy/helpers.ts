/** Shared helpers for policy-core tests: compile a document and evaluate a request in one call. */
import {
  compilePolicy,
  evaluatePolicy,
  type ContextValue,
  type Decision,
  type EvaluationRequest,
  type PolicyKind,
} from '../../src/policy/index.js';

export const ACCOUNT = '123456789012';
export const LATTICE_SERVICE = `arn:aws:vpc-lattice:us-west-2:${ACCOUNT}:service/svc-0123456789abcdef0`;

export function request(over: Partial<EvaluationRequest> & { context?: Record<string, ContextValue> } = {}): EvaluationRequest {
  return {
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/order-service-role/s1`,
    action: 'vpc-lattice-svcs:Invoke',
    resource: `${LATTICE_SERVICE}/api/stock`,
    context: {},
    ...over,
  };
}

/** A one-statement identity policy with the given Condition, as most operator examples are. */
export function conditionPolicy(condition: object, extra: object = {}): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition, ...extra }],
  };
}

export function decide(doc: object | string, req: EvaluationRequest, kind: PolicyKind = 'identity'): Decision {
  return evaluatePolicy(compilePolicy(doc, { kind }), req).decision;
}

/** Whether a condition block lets a request with this context through. */
export function conditionHolds(condition: object, context: Record<string, ContextValue>, version = '2012-10-17'): boolean {
  const doc = { ...(conditionPolicy(condition) as Record<string, unknown>), Version: version };
  return decide(doc, request({ context })) === 'Allow';
}
