/**
 * Date operators. Values are ISO 8601 dates/times (`2026-01-01`, `2026-01-01T00:00:00Z`) or epoch
 * seconds (`aws:EpochTime` style). A request value that is neither matches nothing.
 */
import type { OperatorDef } from './types.js';
import { orderedOperators } from './ordered.js';
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

export const dateOperators: OperatorDef[] = orderedOperators('Date', parseDate, (v) =>
  Number.isNaN(parseDate(v)) ? `${q(v)} is not an ISO 8601 date or epoch seconds` : null,
);
