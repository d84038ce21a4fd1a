import type { Policy, PolicyOptions } from './types.js';
/** A policy compiled into matchers. Build with compilePolicy; evaluate with evaluatePolicy. */
export class CompiledPolicy {
  constructor(readonly policy: Policy) {}
}
export function compilePolicy(doc: string | object | Policy, options?: PolicyOptions): CompiledPolicy {
  void doc; void options;
  throw new Error('compilePolicy: being implemented');
}
