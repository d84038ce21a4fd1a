/** Numeric operators. Values are decimal numbers; a request value that is not a number matches nothing. */
import type { OperatorDef, ValueTest } from './types.js';
import { q } from '../quote.js';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export function parseNumber(s: string): number {
  return NUMBER.test(s) ? Number(s) : NaN;
}

type Cmp = (request: number, policy: number) => boolean;

function compare(cmp: Cmp) {
  return (values: readonly string[]): ValueTest => {
    const nums = values.map(parseNumber);
    return (v) => {
      const x = parseNumber(v);
      if (Number.isNaN(x)) return false;
      for (const n of nums) if (cmp(x, n)) return true;
      return false;
    };
  };
}

function check(v: string): string | null {
  return NUMBER.test(v) ? null : `${q(v)} is not a number`;
}

function def(name: string, negated: boolean, cmp: Cmp): OperatorDef {
  return { name, negated, variables: false, check, compile: compare(cmp) };
}

export const numericOperators: OperatorDef[] = [
  def('NumericEquals', false, (a, b) => a === b),
  def('NumericNotEquals', true, (a, b) => a === b),
  def('NumericLessThan', false, (a, b) => a < b),
  def('NumericLessThanEquals', false, (a, b) => a <= b),
  def('NumericGreaterThan', false, (a, b) => a > b),
  def('NumericGreaterThanEquals', false, (a, b) => a >= b),
];
