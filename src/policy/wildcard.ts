/**
 * `*` / `?` wildcard matching. A pattern is its text plus a mask saying which characters are wildcards,
 * so that characters produced by `${*}` / `${?}` or by a policy variable's value stay literal.
 * Mask codes: 0 literal, 1 `*` (any run, possibly empty), 2 `?` (exactly one character).
 */
export const LITERAL = 0;
export const STAR = 1;
export const QMARK = 2;

export interface WildPattern {
  readonly text: string;
  /** null when the pattern has no wildcard at all. */
  readonly mask: Uint8Array | null;
}

/** The mask of a plain pattern string in which every `*` and `?` is a wildcard. */
export function plainPattern(text: string): WildPattern {
  if (text.indexOf('*') < 0 && text.indexOf('?') < 0) return { text, mask: null };
  const mask = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    mask[i] = c === 42 ? STAR : c === 63 ? QMARK : LITERAL;
  }
  return { text, mask };
}

/** Iterative glob match with single-star backtracking: O(n·m) worst case, no allocation, no regex. */
export function wildMatch(text: string, mask: Uint8Array, s: string): boolean {
  const pl = text.length;
  const sl = s.length;
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < sl) {
    if (pi < pl) {
      const m = mask[pi];
      if (m === QMARK || (m === LITERAL && text.charCodeAt(pi) === s.charCodeAt(si))) {
        pi++;
        si++;
        continue;
      }
      if (m === STAR) {
        star = pi++;
        mark = si;
        continue;
      }
    }
    if (star < 0) return false;
    pi = star + 1;
    si = ++mark;
  }
  while (pi < pl && mask[pi] === STAR) pi++;
  return pi === pl;
}

export type StringMatcher = (s: string) => boolean;

const always: StringMatcher = () => true;

/**
 * Compiles a pattern into the cheapest matcher that decides it: equality, prefix, suffix, any,
 * or the general glob.
 */
export function compileWild(p: WildPattern): StringMatcher {
  const { text, mask } = p;
  if (mask === null) return (s) => s === text;
  let stars = 0;
  let qmarks = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === STAR) stars++;
    else if (mask[i] === QMARK) qmarks++;
  }
  if (qmarks === 0 && stars === mask.length) return always;
  if (qmarks === 0 && stars === 1) {
    const last = mask.length - 1;
    if (mask[last] === STAR) {
      const prefix = text.slice(0, last);
      return (s) => s.startsWith(prefix);
    }
    if (mask[0] === STAR) {
      const suffix = text.slice(1);
      return (s) => s.endsWith(suffix);
    }
  }
  return (s) => wildMatch(text, mask, s);
}

/** Whether a pattern matches every string (`*`, `**`, …). */
export function matchesEverything(p: WildPattern): boolean {
  if (p.mask === null || p.text.length === 0) return false;
  for (let i = 0; i < p.mask.length; i++) if (p.mask[i] !== STAR) return false;
  return true;
}
