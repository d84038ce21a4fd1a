import type { PolicyOptions, ValidationReport } from './types.js';
export function validatePolicy(doc: unknown, options?: PolicyOptions): ValidationReport {
  void doc; void options;
  throw new Error('validatePolicy: being implemented');
}
