/**
 * validatePolicy: every error (as parsePolicy would throw) plus warnings, notably for statements that
 * can never match. Never throws, whatever the input.
 */
import { member } from './json-path.js';
import { parseOperator } from './operators/index.js';
import { readPolicy } from './parse.js';
import type { Policy, PolicyIssue, PolicyOptions, PolicyStatement, ValidationReport } from './types.js';
import { compileWild, matchesEverything, plainPattern } from './wildcard.js';

const NEVER = 'this statement can never match';

function hasStar(list: readonly string[] | undefined): boolean {
  return list !== undefined && list.some((v) => matchesEverything(plainPattern(v)));
}

/** Reasons a statement can never apply, as issues. */
function neverMatches(s: PolicyStatement, path: string): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  const add = (element: string, why: string) => out.push({ path: member(path, element), message: `${why}: ${NEVER}` });
  if (s.action?.length === 0) add('Action', 'Action is empty');
  if (hasStar(s.notAction)) add('NotAction', 'NotAction excludes every action');
  if (s.resource?.length === 0) add('Resource', 'Resource is empty');
  if (hasStar(s.notResource)) add('NotResource', 'NotResource excludes every resource');
  const p = s.principal;
  if (p !== undefined && p !== '*' && Object.values(p).every((v) => v.length === 0)) add('Principal', 'Principal is empty');
  const np = s.notPrincipal;
  if (np === '*' || (np !== undefined && np.AWS?.includes('*'))) add('NotPrincipal', 'NotPrincipal excludes every principal');

  // A key required to be absent (Null: true) by one operator and present by a positive operator.
  const absent = new Set<string>();
  const required = new Set<string>();
  for (const c of s.conditions) {
    const op = parseOperator(c.operator);
    if (typeof op === 'string') continue;
    const key = c.key.toLowerCase();
    if (op.def === undefined) {
      const vs = c.values.map((v) => v.toLowerCase());
      if (vs.length > 0 && vs.every((v) => v === 'true')) absent.add(key);
      if (vs.length > 0 && vs.every((v) => v === 'false')) required.add(key);
      continue;
    }
    const positive = !op.def.negated && !op.ifExists && op.qualifier !== 'ForAllValues';
    if (positive) required.add(key);
    if (c.values.length === 0 && positive)
      out.push({ path: member(member(path, 'Condition'), c.operator), message: `${c.key} has no values: ${NEVER}` });
  }
  for (const k of absent)
    if (required.has(k))
      out.push({ path: member(path, 'Condition'), message: `${k} must be both absent (Null) and present: ${NEVER}` });
  return out;
}

/** Whether the statement's Action/NotAction lets at least one of `actions` through. */
function coversAny(s: PolicyStatement, actions: readonly string[]): boolean {
  const patterns = (s.action ?? s.notAction ?? []).map((a) => compileWild(plainPattern(a.toLowerCase())));
  const listed = (a: string) => patterns.some((m) => m(a.toLowerCase()));
  return actions.some((a) => (s.action !== undefined ? listed(a) : !listed(a)));
}

export function neverMatchWarnings(policy: Policy, statementPaths: readonly string[], actions?: readonly string[]): PolicyIssue[] {
  return policy.statements.flatMap((s, i) => {
    const path = statementPaths[i] ?? `$.Statement[${i}]`;
    const out = neverMatches(s, path);
    if (actions !== undefined && actions.length > 0 && !coversAny(s, actions)) {
      const element = s.action !== undefined ? 'Action' : 'NotAction';
      out.push({ path: member(path, element), message: `${element} lets none of ${actions.join(', ')} through: ${NEVER}` });
    }
    return out;
  });
}

export function validatePolicy(doc: unknown, options?: PolicyOptions): ValidationReport {
  try {
    const r = readPolicy(doc, options);
    const warnings = r.policy === null ? r.warnings : [...r.warnings, ...neverMatchWarnings(r.policy, r.statementPaths, options?.actions)];
    return { errors: r.errors, warnings };
  } catch (e) {
    // Defensive: readPolicy is total, but a validator must never throw on user input.
    return { errors: [{ path: '$', message: `could not be read: ${(e as Error).message}` }], warnings: [] };
  }
}
