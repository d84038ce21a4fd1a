import type { CompiledPolicy } from './compile.js';
import type { PreparedRequest } from './prepare.js';
import type { EvaluateOptions, EvaluationRequest, PolicyResult } from './types.js';
export function evaluatePolicy(
  compiled: CompiledPolicy,
  request: EvaluationRequest | PreparedRequest,
  options?: EvaluateOptions,
): PolicyResult {
  void compiled; void request; void options;
  throw new Error('evaluatePolicy: being implemented');
}
