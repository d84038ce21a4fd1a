/**
 * Evaluating one compiled policy against a request: an explicit Deny wins, then any Allow, else the
 * implicit deny. Without `explain` the allow path allocates nothing when a single statement decides:
 * results are shared, frozen objects built at compile time.
 */
import type { CompiledPolicy } from './compile.js';
import { PreparedRequest } from './prepare.js';
import { firstMismatch, statementMatches, type CompiledStatement } from './statement.js';
import type { EvaluateOptions, EvaluationRequest, PolicyResult, StatementRef, StatementTrace } from './types.js';

const IMPLICIT_DENY: PolicyResult = Object.freeze({ decision: 'ImplicitDeny', determining: Object.freeze([]) });

/** The matching statements of one effect, as a result; null when none matched. */
function matching(list: readonly CompiledStatement[], req: PreparedRequest): PolicyResult | null {
  let first: CompiledStatement | null = null;
  let all: StatementRef[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (!statementMatches(s, req)) continue;
    if (first === null) first = s;
    else (all ??= [first.ref]).push(s.ref);
  }
  if (first === null) return null;
  return all === null ? first.soleResult : { decision: first.soleResult.decision, determining: all };
}

/**
 * Evaluates a compiled policy. `request` may be a PreparedRequest (prepare once per request and reuse
 * it for every policy) or a raw EvaluationRequest (prepared here, each call).
 */
export function evaluatePolicy(
  compiled: CompiledPolicy,
  request: EvaluationRequest | PreparedRequest,
  options?: EvaluateOptions,
): PolicyResult {
  const req = request instanceof PreparedRequest ? request : new PreparedRequest(request);
  if (options?.explain === true) return evaluateExplained(compiled, req);
  return matching(compiled.denies, req) ?? matching(compiled.allows, req) ?? IMPLICIT_DENY;
}

function evaluateExplained(compiled: CompiledPolicy, req: PreparedRequest): PolicyResult {
  const trace: StatementTrace[] = [];
  const deny: StatementRef[] = [];
  const allow: StatementRef[] = [];
  for (const s of compiled.statements) {
    const mismatch = firstMismatch(s, req);
    const entry: StatementTrace = { ...s.ref, effect: s.effect };
    if (mismatch !== undefined) entry.mismatch = mismatch;
    else (s.effect === 'Deny' ? deny : allow).push(s.ref);
    trace.push(entry);
  }
  if (deny.length > 0) return { decision: 'ExplicitDeny', determining: deny, trace };
  if (allow.length > 0) return { decision: 'Allow', determining: allow, trace };
  return { decision: 'ImplicitDeny', determining: [], trace };
}
