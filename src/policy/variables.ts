/**
 * Policy variables (Version 2012-10-17 only): `${aws:username}`, `${aws:PrincipalTag/team}`,
 * the literal escapes `${*}` `${?}` `${$}`, and defaults `${aws:x, 'default'}`.
 * A template is parsed once at compile time; resolving it reads the prepared request's context.
 */
import type { PreparedRequest } from './prepare.js';
import { LITERAL, QMARK, STAR, type WildPattern } from './wildcard.js';
import { q } from './quote.js';

interface LiteralPart {
  readonly text: string;
  /** false for text produced by `${*}`, `${?}`, `${$}`: its `*`/`?` are literal characters. */
  readonly wild: boolean;
}
interface VariablePart {
  /** Lowercased context key. */
  readonly key: string;
  readonly fallback: string | undefined;
}
export type TemplatePart = LiteralPart | VariablePart;

export interface Template {
  readonly parts: readonly TemplatePart[];
}

// A Map, not an object literal: `${toString}` or `${constructor}` must not find Object.prototype's members.
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['*', '*'],
  ['?', '?'],
  ['$', '$'],
]);
const VARIABLE = /^([^\s,'{}$]+)\s*(?:,\s*'([^']*)'\s*)?$/;

/**
 * Parses `${…}` references. Returns null when the string has none (the common case), so callers keep
 * the plain, precompiled fast path. `issues` receives a message per malformed reference.
 */
export function parseTemplate(s: string, issues: string[]): Template | null {
  if (s.indexOf('${') < 0) return null;
  const parts: TemplatePart[] = [];
  let i = 0;
  let text = '';
  while (i < s.length) {
    const open = s.indexOf('${', i);
    if (open < 0) break;
    const close = s.indexOf('}', open + 2);
    if (close < 0) {
      issues.push(`unterminated policy variable in ${q(s)}`);
      return null;
    }
    text += s.slice(i, open);
    const inner = s.slice(open + 2, close).trim();
    const escaped = ESCAPES.get(inner);
    if (escaped !== undefined) {
      if (text) parts.push({ text, wild: true });
      text = '';
      parts.push({ text: escaped, wild: false });
    } else {
      const m = VARIABLE.exec(inner);
      if (m === null) {
        issues.push(`malformed policy variable ${q(`\${${inner}}`)}`);
        return null;
      }
      if (text) parts.push({ text, wild: true });
      text = '';
      parts.push({ key: m[1]!.toLowerCase(), fallback: m[2] });
    }
    i = close + 1;
  }
  text += s.slice(i);
  if (text) parts.push({ text, wild: true });
  return { parts };
}

/** The value of one variable, or undefined when the key is absent or multi-valued (IAM forbids those). */
function lookup(part: VariablePart, req: PreparedRequest): string | undefined {
  const v = req.context.get(part.key);
  return typeof v === 'string' ? v : part.fallback;
}

/** The template as plain text; null when a variable has no value and no default (the value then matches nothing). */
export function resolveText(t: Template, req: PreparedRequest): string | null {
  let out = '';
  for (const p of t.parts) {
    if ('text' in p) out += p.text;
    else {
      const v = lookup(p, req);
      if (v === undefined) return null;
      out += v;
    }
  }
  return out;
}

/** The template as a wildcard pattern: only the policy author's own `*`/`?` are wildcards. */
export function resolvePattern(t: Template, req: PreparedRequest): WildPattern | null {
  let text = '';
  const codes: number[] = [];
  for (const p of t.parts) {
    let piece: string;
    let wild = false;
    if ('text' in p) {
      piece = p.text;
      wild = p.wild;
    } else {
      const v = lookup(p, req);
      if (v === undefined) return null;
      piece = v;
    }
    text += piece;
    for (let i = 0; i < piece.length; i++) {
      const c = piece.charCodeAt(i);
      codes.push(wild && c === 42 ? STAR : wild && c === 63 ? QMARK : LITERAL);
    }
  }
  return { text, mask: Uint8Array.from(codes) };
}
