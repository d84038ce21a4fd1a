/**
 * The condition-operator registry and the parser of qualified operator names:
 * `[ForAnyValue:|ForAllValues:]Base[IfExists]`. Names are case-sensitive, as in IAM.
 */
import { arnOperators } from './arn.js';
import { binaryOperator, boolOperator } from './bool.js';
import { dateOperators } from './date.js';
import { ipOperators } from './ip.js';
import { numericOperators } from './numeric.js';
import { stringOperators } from './string.js';
import type { OperatorDef } from './types.js';
import { q } from '../quote.js';

export type { OperatorDef, ValueTest } from './types.js';

const REGISTRY = new Map<string, OperatorDef>(
  [...stringOperators, ...numericOperators, ...dateOperators, boolOperator, binaryOperator, ...ipOperators, ...arnOperators].map(
    (d) => [d.name, d],
  ),
);
const LOWER = new Map([...REGISTRY.keys(), 'Null'].map((n) => [n.toLowerCase(), n]));

export type SetQualifier = 'ForAnyValue' | 'ForAllValues' | null;

export interface ParsedOperator {
  /** undefined for `Null`, which is not a value comparison. */
  def: OperatorDef | undefined;
  base: string;
  qualifier: SetQualifier;
  ifExists: boolean;
}

/** Parses an operator name, or returns an error message. */
export function parseOperator(name: string): ParsedOperator | string {
  let rest = name;
  let qualifier: SetQualifier = null;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon);
    if (prefix !== 'ForAnyValue' && prefix !== 'ForAllValues') return `unknown operator ${q(name)}: unknown qualifier ${q(prefix)}`;
    qualifier = prefix;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'IfExists') {
    ifExists = true;
    rest = rest.slice(0, -8);
  }
  if (rest === 'Null') {
    if (ifExists) return `operator ${q(name)}: Null cannot be combined with IfExists`;
    if (qualifier !== null) return `operator ${q(name)}: Null cannot be combined with ${qualifier}`;
    return { def: undefined, base: 'Null', qualifier, ifExists };
  }
  const def = REGISTRY.get(rest);
  if (def === undefined) {
    const hint = LOWER.get(rest.toLowerCase());
    return `unknown operator ${q(name)}${hint !== undefined ? ` (operator names are case-sensitive: did you mean ${q(hint)}?)` : ''}`;
  }
  return { def, base: rest, qualifier, ifExists };
}

/** All base operator names, for documentation and tests. */
export const OPERATOR_NAMES: readonly string[] = [...REGISTRY.keys(), 'Null'];
