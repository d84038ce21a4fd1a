/** Numeric operators. Values are decimal numbers; a request value that is not a number matches nothing. */
import type { OperatorDef } from './types.js';
import { orderedOperators } from './ordered.js';
import { q } from '../quote.js';

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export function parseNumber(s: string): number {
  return NUMBER.test(s) ? Number(s) : NaN;
}

export const numericOperators: OperatorDef[] = orderedOperators('Numeric', parseNumber, (v) =>
  NUMBER.test(v) ? null : `${q(v)} is not a number`,
);
