/**
 * Date operators. Values are ISO 8601 dates/times (`2026-01-01`, `2026-01-01T00:00:00Z`) or epoch
 * seconds (`aws:EpochTime` style). A request value that is neither matches nothing.
 */
import type { OperatorDef, ValueTest } from './types.js';
import { q } from '../quote.js';

const EPOCH = /^\d{1,12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch, or NaN. */
export function parseDate(s: string): number {
  if (EPOCH.test(s)) return Number(s) * 1000;
  if (!ISO.test(s)) return NaN;
  // A date-time without a zone is UTC in IAM; JavaScript would read it as local time.
  const zoned = s.length > 10 && !/(Z|[+-]\d{2}:?\d{2})$/.test(s) ? `${s}Z` : s;
  return Date.parse(zoned);
}

type Cmp = (request: number, policy: number) => boolean;

function compare(cmp: Cmp) {
  return (values: readonly string[]): ValueTest => {
    const dates = values.map(parseDate);
    return (v) => {
      const x = parseDate(v);
      if (Number.isNaN(x)) return false;
      for (const d of dates) if (cmp(x, d)) return true;
      return false;
    };
  };
}

function check(v: string): string | null {
  return Number.isNaN(parseDate(v)) ? `${q(v)} is not an ISO 8601 date or epoch seconds` : null;
}

function def(name: string, negated: boolean, cmp: Cmp): OperatorDef {
  return { name, negated, variables: false, check, compile: compare(cmp) };
}

export const dateOperators: OperatorDef[] = [
  def('DateEquals', false, (a, b) => a === b),
  def('DateNotEquals', true, (a, b) => a === b),
  def('DateLessThan', false, (a, b) => a < b),
  def('DateLessThanEquals', false, (a, b) => a <= b),
  def('DateGreaterThan', false, (a, b) => a > b),
  def('DateGreaterThanEquals', false, (a, b) => a >= b),
];
