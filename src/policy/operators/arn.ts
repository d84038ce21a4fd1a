/**
 * ArnEquals, ArnLike and their Not forms. As AWS documents, both compare each of the six colon
 * parts separately, case-sensitively, and both accept `*` and `?` within a part.
 */
import { checkArnPattern, compileArnPattern, type ArnMatcher } from '../arn.js';
import { parseTemplate, resolvePattern, type Template } from '../variables.js';
import { plainPattern } from '../wildcard.js';
import type { OperatorDef, ValueTest } from './types.js';

function compile(values: readonly string[], variables: boolean): ValueTest {
  const matchers: ArnMatcher[] = [];
  const templates: Template[] = [];
  for (const v of values) {
    const t = variables ? parseTemplate(v, []) : null;
    if (t === null) matchers.push(compileArnPattern(plainPattern(v)));
    else templates.push(t);
  }
  return (v, req) => {
    for (const m of matchers) if (m(v)) return true;
    for (const t of templates) {
      const p = resolvePattern(t, req);
      if (p !== null && compileArnPattern(p)(v)) return true;
    }
    return false;
  };
}

const check = (v: string) => (v === '*' ? null : checkArnPattern(v));

export const arnOperators: OperatorDef[] = ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'].map((name) => ({
  name,
  negated: name.startsWith('ArnNot'),
  variables: true,
  check,
  compile,
}));
