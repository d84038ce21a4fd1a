import type { PolicyIssue } from './types.js';

/**
 * A policy document that is not valid. `issues` lists every problem found (not only the first), each
 * with the JSONPath of the element at fault. The code and status are what Lattice's PutAuthPolicy
 * answers for a malformed policy.
 */
export class PolicyValidationError extends Error {
  readonly code = 'ValidationException';
  readonly status = 400;
  readonly issues: readonly PolicyIssue[];

  constructor(issues: readonly PolicyIssue[]) {
    const first = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ');
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
    super(`invalid policy: ${first}${more}`);
    this.name = 'PolicyValidationError';
    this.issues = issues;
  }
}
