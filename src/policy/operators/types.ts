import type { PreparedRequest } from '../prepare.js';

/** Whether one request value satisfies the operator's positive form for any of the policy's values. */
export type ValueTest = (value: string, req: PreparedRequest) => boolean;

/** One base condition operator (without ForAnyValue:/ForAllValues: and IfExists). */
export interface OperatorDef {
  readonly name: string;
  /** Not-operators are the negation of their positive form (StringNotEquals = not StringEquals). */
  readonly negated: boolean;
  /** Policy variables are substituted in this operator's values (Version 2012-10-17). */
  readonly variables: boolean;
  /** Syntax check of one policy value; an error message or null. */
  check(value: string): string | null;
  /** Compiles the policy values once into the positive per-value test. `variables` says whether to expand `${…}`. */
  compile(values: readonly string[], variables: boolean): ValueTest;
}
