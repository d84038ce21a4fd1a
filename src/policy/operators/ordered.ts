/**
 * The six comparison operators shared by the Numeric and Date families: each family only says how
 * its values parse. A request value that does not parse matches nothing.
 */
import type { OperatorDef, ValueTest } from './types.js';

type Cmp = (request: number, policy: number) => boolean;

const COMPARISONS: readonly [suffix: string, negated: boolean, cmp: Cmp][] = [
  ['Equals', false, (a, b) => a === b],
  ['NotEquals', true, (a, b) => a === b],
  ['LessThan', false, (a, b) => a < b],
  ['LessThanEquals', false, (a, b) => a <= b],
  ['GreaterThan', false, (a, b) => a > b],
  ['GreaterThanEquals', false, (a, b) => a >= b],
];

/**
 * @param family `Numeric` or `Date`
 * @param parse a value to a number, or NaN
 * @param check a policy value's validation error, or null
 */
export function orderedOperators(
  family: string,
  parse: (s: string) => number,
  check: (v: string) => string | null,
): OperatorDef[] {
  const compile = (cmp: Cmp) => (values: readonly string[]): ValueTest => {
    const parsed = values.map(parse);
    return (v) => {
      const x = parse(v);
      if (Number.isNaN(x)) return false;
      for (const p of parsed) if (cmp(x, p)) return true;
      return false;
    };
  };
  return COMPARISONS.map(([suffix, negated, cmp]) => ({
    name: family + suffix,
    negated,
    variables: false,
    check,
    compile: compile(cmp),
  }));
}
