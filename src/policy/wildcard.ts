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
 * Compiles a pattern into the cheapest matcher that decides it: equality, prefix, suffix, any, a
 * `*`-only glob searched with indexOf, or the general glob (when `?` is present). Prefixes are compared
 * with slice+=== because String.prototype.startsWith is several times slower on Node 20.
 */
export function compileWild(p: WildPattern): StringMatcher {
  const { text, mask } = p;
  if (mask === null) return (s) => s === text;
  let qmarks = 0;
  const segments: string[] = [];
  let from = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === QMARK) qmarks++;
    else if (mask[i] === STAR) {
      segments.push(text.slice(from, i));
      from = i + 1;
    }
  }
  segments.push(text.slice(from));
  if (qmarks > 0) return (s) => wildMatch(text, mask, s);
  if (segments.every((x) => x === '')) return always;
  const head = segments[0]!;
  const tail = segments[segments.length - 1]!;
  if (segments.length === 2 && tail === '') {
    const n = head.length;
    // The last character of a prefix differs most often between sibling patterns: a cheap first reject.
    const last = head.charCodeAt(n - 1);
    return (s) => s.length >= n && s.charCodeAt(n - 1) === last && s.slice(0, n) === head;
  }
  if (segments.length === 2 && head === '') return (s) => s.endsWith(tail);
  return starGlob(head, segments.slice(1, -1).filter((x) => x !== ''), tail);
}

/** `head*m1*m2*…*tail`: head and tail anchored, middle pieces found leftmost-first (exact for `*`-only globs). */
function starGlob(head: string, middle: readonly string[], tail: string): StringMatcher {
  const min = head.length + tail.length + middle.reduce((n, m) => n + m.length, 0);
  return (s) => {
    if (s.length < min) return false;
    if (head !== '' && s.slice(0, head.length) !== head) return false;
    if (tail !== '' && !s.endsWith(tail)) return false;
    let pos = head.length;
    const end = s.length - tail.length;
    for (let i = 0; i < middle.length; i++) {
      const m = middle[i]!;
      const at = s.indexOf(m, pos);
      if (at < 0 || at + m.length > end) return false;
      pos = at + m.length;
    }
    return true;
  };
}

/** Whether a pattern matches every string (`*`, `**`, …). */
export function matchesEverything(p: WildPattern): boolean {
  if (p.mask === null || p.text.length === 0) return false;
  for (let i = 0; i < p.mask.length; i++) if (p.mask[i] !== STAR) return false;
  return true;
}
