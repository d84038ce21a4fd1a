/** String operators: StringEquals, StringEqualsIgnoreCase, StringLike and their Not forms. */
import type { PreparedRequest } from '../prepare.js';
import { parseTemplate, resolvePattern, resolveText, type Template } from '../variables.js';
import { compileWild, plainPattern, wildMatch, type StringMatcher } from '../wildcard.js';
import type { OperatorDef, ValueTest } from './types.js';

/** Splits values into plain strings and variable templates (only when variables are on). */
function split(values: readonly string[], variables: boolean): { plain: string[]; templates: Template[] } {
  const plain: string[] = [];
  const templates: Template[] = [];
  for (const v of values) {
    const t = variables ? parseTemplate(v, []) : null;
    if (t === null) plain.push(v);
    else templates.push(t);
  }
  return { plain, templates };
}

function equalsTest(values: readonly string[], variables: boolean, fold: boolean): ValueTest {
  const { plain, templates } = split(values, variables);
  const set = new Set(fold ? plain.map((v) => v.toLowerCase()) : plain);
  const single = set.size === 1 ? [...set][0]! : null;
  const norm = fold ? (s: string) => s.toLowerCase() : (s: string) => s;
  if (templates.length === 0) {
    if (single !== null) return fold ? (v) => v.toLowerCase() === single : (v) => v === single;
    return (v) => set.has(norm(v));
  }
  return (v: string, req: PreparedRequest) => {
    const x = norm(v);
    if (set.has(x)) return true;
    for (const t of templates) {
      const r = resolveText(t, req);
      if (r !== null && norm(r) === x) return true;
    }
    return false;
  };
}

function likeTest(values: readonly string[], variables: boolean): ValueTest {
  const { plain, templates } = split(values, variables);
  const matchers: StringMatcher[] = plain.map((v) => compileWild(plainPattern(v)));
  return (v: string, req: PreparedRequest) => {
    for (const m of matchers) if (m(v)) return true;
    for (const t of templates) {
      const p = resolvePattern(t, req);
      if (p !== null && wildMatch(p.text, p.mask!, v)) return true;
    }
    return false;
  };
}

const any = () => null;

function def(name: string, negated: boolean, compile: OperatorDef['compile']): OperatorDef {
  return { name, negated, variables: true, check: any, compile };
}

export const stringOperators: OperatorDef[] = [
  def('StringEquals', false, (v, x) => equalsTest(v, x, false)),
  def('StringNotEquals', true, (v, x) => equalsTest(v, x, false)),
  def('StringEqualsIgnoreCase', false, (v, x) => equalsTest(v, x, true)),
  def('StringNotEqualsIgnoreCase', true, (v, x) => equalsTest(v, x, true)),
  def('StringLike', false, likeTest),
  def('StringNotLike', true, likeTest),
];
