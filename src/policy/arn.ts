/**
 * ARNs: `arn:partition:service:region:account:resource`. The resource part keeps any further colons.
 * ARN patterns (Resource element, Arn* operators) match each of the six parts separately, so a
 * wildcard never spans a colon before the resource part.
 */
import { compileWild, plainPattern, type StringMatcher, type WildPattern } from './wildcard.js';
import { q } from './quote.js';

/** Splits into exactly six parts, or null when the string is not ARN-shaped. */
export function splitArn(s: string): string[] | null {
  if (s.slice(0, 4) !== 'arn:') return null;
  const parts: string[] = [];
  let from = 0;
  for (let n = 0; n < 5; n++) {
    const at = s.indexOf(':', from);
    if (at < 0) return null;
    parts.push(s.slice(from, at));
    from = at + 1;
  }
  parts.push(s.slice(from));
  return parts;
}

/** Syntax check for an ARN or ARN pattern in a policy. Returns an error message or null. */
export function checkArnPattern(s: string): string | null {
  const parts = splitArn(s);
  if (parts === null) return `invalid ARN ${q(s)}: expected arn:partition:service:region:account:resource`;
  if (parts[1] === '' || parts[2] === '') return `invalid ARN ${q(s)}: partition and service must not be empty`;
  return null;
}

/** Matches a whole ARN string given the pattern. Non-ARN strings only match a pattern of all stars. */
export type ArnMatcher = (s: string) => boolean;

/** Splits a pattern (text + wildcard mask) at its first five literal colons. */
function splitPattern(p: WildPattern): WildPattern[] | null {
  const out: WildPattern[] = [];
  let from = 0;
  for (let n = 0; n < 5; n++) {
    let at = p.text.indexOf(':', from);
    if (at < 0) return null;
    out.push(slice(p, from, at));
    from = at + 1;
  }
  out.push(slice(p, from, p.text.length));
  return out;
}

function slice(p: WildPattern, a: number, b: number): WildPattern {
  const mask = p.mask === null ? null : p.mask.subarray(a, b);
  return { text: p.text.slice(a, b), mask: mask !== null && mask.some((m) => m !== 0) ? mask : null };
}

export function compileArnPattern(p: WildPattern): ArnMatcher {
  const segs = splitPattern(p);
  // Not ARN-shaped (e.g. "*"): match the whole string.
  if (segs === null) return compileWild(p);
  // Wildcards only in the resource part: a whole-string match decides the same thing, faster.
  if (segs.slice(0, 5).every((s) => s.mask === null)) return compileWild(p);
  const matchers: StringMatcher[] = segs.map(compileWild);
  return (s) => {
    const parts = splitArn(s);
    if (parts === null) return false;
    for (let i = 0; i < 6; i++) if (!matchers[i]!(parts[i]!)) return false;
    return true;
  };
}

/** Convenience for a pattern string in which every `*` and `?` is a wildcard. */
export function compileArnString(s: string): ArnMatcher {
  return compileArnPattern(plainPattern(s));
}
