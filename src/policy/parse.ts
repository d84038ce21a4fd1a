import type { Policy, PolicyOptions } from './types.js';
export function parsePolicy(doc: string | object, options?: PolicyOptions): Policy {
  void doc; void options;
  throw new Error('parsePolicy: being implemented');
}
