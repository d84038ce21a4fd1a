/**
 * One condition (operator + key + values) compiled into a test of the prepared request.
 *
 * Rules, as IAM documents them:
 *  - a missing key (absent, or an empty list) fails a positive operator and satisfies a negated one;
 *    `…IfExists` and `ForAllValues:` are satisfied by a missing key, `ForAnyValue:` is not
 *    (unless also `IfExists`);
 *  - values are ORed: a request value matches when it matches any policy value;
 *  - without a set qualifier a multi-valued key matches when any of its values does, and a negated
 *    operator is the negation of that ("none of the request values equals any policy value");
 *  - `ForAnyValue:` needs one request value to pass, `ForAllValues:` needs all of them to; with a
 *    negated operator the negation applies per request value;
 *  - `Null: true` means the key is missing, `Null: false` that it is present.
 */
import type { PreparedRequest } from './prepare.js';
import { parseOperator, type ValueTest } from './operators/index.js';
import type { ConditionEntry } from './types.js';

export interface CompiledCondition {
  readonly operator: string;
  readonly key: string;
  test(req: PreparedRequest): boolean;
}

export function compileCondition(entry: ConditionEntry, variables: boolean): CompiledCondition {
  const op = parseOperator(entry.operator);
  if (typeof op === 'string') throw new Error(op); // unreachable after validation
  const keyLower = entry.key.toLowerCase();
  const { operator, key } = entry;
  if (op.def === undefined) {
    const lower = entry.values.map((v) => v.toLowerCase());
    const whenMissing = lower.includes('true');
    const whenPresent = lower.includes('false');
    return { operator, key, test: (req) => (req.context.has(keyLower) ? whenPresent : whenMissing) };
  }
  const base: ValueTest = op.def.compile(entry.values, variables && op.def.variables);
  const negated = op.def.negated;
  const missing = op.ifExists || op.qualifier === 'ForAllValues' || (op.qualifier === null && negated);
  const test = (req: PreparedRequest): boolean => {
    const v = req.context.get(keyLower);
    if (v === undefined) return missing;
    if (typeof v === 'string') return base(v, req) !== negated;
    return matchSet(v, req);
  };
  let matchSet: (vs: readonly string[], req: PreparedRequest) => boolean;
  if (op.qualifier === 'ForAllValues') {
    matchSet = (vs, req) => {
      for (const x of vs) if (base(x, req) === negated) return false;
      return true;
    };
  } else if (op.qualifier === 'ForAnyValue') {
    matchSet = (vs, req) => {
      for (const x of vs) if (base(x, req) !== negated) return true;
      return false;
    };
  } else {
    matchSet = (vs, req) => {
      for (const x of vs) if (base(x, req)) return !negated;
      return negated;
    };
  }
  return { operator, key, test };
}
