/** X-Amz-Date (ISO 8601 basic, `YYYYMMDDTHHMMSSZ`) and the HTTP `Date` fallback. */

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Milliseconds since the epoch, or NaN when `s` is not a valid basic-format UTC timestamp. */
export function parseAmzDate(s: string): number {
  if (s.length !== 16 || s.charCodeAt(8) !== 84 /* T */ || s.charCodeAt(15) !== 90 /* Z */) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 4, 6);
  const d = digits(s, 6, 8);
  const h = digits(s, 9, 11);
  const mi = digits(s, 11, 13);
  const se = digits(s, 13, 15);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, se);
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** An HTTP-date (RFC 9110 IMF-fixdate and the obsolete forms Date.parse knows), as basic format; undefined if unparseable. */
export function httpDateToAmzDate(s: string): string | undefined {
  if (s.length > 64) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : formatAmzDate(t);
}
