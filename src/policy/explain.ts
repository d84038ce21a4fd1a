import type { Mismatch, PolicyResult } from './types.js';
/** One line per statement: why it did (not) apply. */
export function explainResult(result: PolicyResult): string[] {
  void result;
  throw new Error('explainResult: being implemented');
}
/** `Condition StringEquals aws:PrincipalOrgID did not match`, `Action did not match`, … */
export function describeMismatch(m: Mismatch): string {
  return m.element === 'Condition' ? `Condition ${m.operator} on ${m.key} did not match` : `${m.element} did not match`;
}
