/** Human-readable explanations of a PolicyResult evaluated with `explain: true`. */
import type { Mismatch, PolicyResult, StatementRef } from './types.js';
import { q } from './quote.js';

/** `Condition StringEquals on aws:PrincipalOrgID did not match`, `Action did not match`, … */
export function describeMismatch(m: Mismatch): string {
  return m.element === 'Condition' ? `Condition ${m.operator} on ${m.key} did not match` : `${m.element} did not match`;
}

function name(ref: StatementRef): string {
  return ref.sid !== undefined && ref.sid !== '' ? `statement ${ref.index} (${q(ref.sid)})` : `statement ${ref.index}`;
}

/** A summary line, then one line per statement (when traced): whether it applied, and if not, why. */
export function explainResult(result: PolicyResult): string[] {
  const by = result.determining.map(name).join(', ');
  const lines = [
    result.decision === 'ImplicitDeny'
      ? 'ImplicitDeny: no statement allows the request'
      : `${result.decision}: decided by ${by}`,
  ];
  for (const t of result.trace ?? []) {
    const verdict = t.mismatch === undefined ? 'applies' : `does not apply: ${describeMismatch(t.mismatch)}`;
    lines.push(`  ${t.effect} ${name(t)} ${verdict}`);
  }
  return lines;
}
