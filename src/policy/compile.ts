/**
 * Compiling a policy: parse + validate (throws PolicyValidationError), then one CompiledStatement per
 * statement, split by effect so that evaluation looks at Deny statements first. Done once, at store time.
 */
import { isParsedPolicy, parsePolicy } from './parse.js';
import { compileStatement, type CompiledStatement } from './statement.js';
import type { Policy, PolicyOptions } from './types.js';

/** A policy compiled into matchers. Build with compilePolicy; evaluate with evaluatePolicy. Immutable. */
export class CompiledPolicy {
  readonly policy: Policy;
  /** All statements, in document order. */
  readonly statements: readonly CompiledStatement[];
  readonly denies: readonly CompiledStatement[];
  readonly allows: readonly CompiledStatement[];

  constructor(policy: Policy) {
    this.policy = policy;
    const variables = policy.version === '2012-10-17';
    this.statements = policy.statements.map((s, i) => compileStatement(s, i, variables, policy.kind));
    this.denies = this.statements.filter((s) => s.effect === 'Deny');
    this.allows = this.statements.filter((s) => s.effect === 'Allow');
    Object.freeze(this);
  }
}

/**
 * Parses, validates and compiles a policy document (JSON text or object), or compiles a `Policy`
 * returned by `parsePolicy`. Throws PolicyValidationError listing every issue.
 */
export function compilePolicy(doc: string | object | Policy, options?: PolicyOptions): CompiledPolicy {
  const policy = isParsedPolicy(doc) ? doc : parsePolicy(doc, options);
  return new CompiledPolicy(policy);
}
