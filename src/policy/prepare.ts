import type { EvaluationRequest } from './types.js';
/** A request prepared once (keys lowercased, principal parsed) and evaluated against many policies. */
export class PreparedRequest {
  constructor(readonly request: EvaluationRequest) {}
}
export function prepareRequest(request: EvaluationRequest): PreparedRequest {
  return new PreparedRequest(request);
}
