/**
 * A statement compiled into matchers, checked in the order Principal, Action, Resource, Condition.
 * Everything a match needs (sets, globs, frozen refs and results, mismatch records) is built here,
 * once, so that matching a request allocates nothing.
 */
import { compileArnPattern, type ArnMatcher } from './arn.js';
import { compileCondition, type CompiledCondition } from './condition.js';
import type { PreparedRequest } from './prepare.js';
import { compileNotPrincipalListed, compilePrincipal, type PrincipalMatcher } from './principal.js';
import type { Mismatch, PolicyKind, PolicyResult, PolicyStatement, StatementRef } from './types.js';
import { parseTemplate, resolvePattern, type Template } from './variables.js';
import { compileWild, matchesEverything, plainPattern, type StringMatcher } from './wildcard.js';

type RequestTest = (req: PreparedRequest) => boolean;

export interface CompiledStatement {
  readonly ref: StatementRef;
  readonly effect: 'Allow' | 'Deny';
  /** This statement alone as a policy result (Allow or ExplicitDeny), shared and frozen. */
  readonly soleResult: PolicyResult;
  /** Whether the principal element lets the request through (true when the element is absent). */
  readonly principal: RequestTest;
  readonly action: RequestTest;
  readonly resource: RequestTest;
  readonly conditions: readonly CompiledCondition[];
  readonly mismatch: {
    readonly principal: Mismatch;
    readonly action: Mismatch;
    readonly resource: Mismatch;
    readonly conditions: readonly Mismatch[];
  };
}

const yes: RequestTest = () => true;

function anyOf(ms: StringMatcher[]): StringMatcher {
  if (ms.length === 1) return ms[0]!;
  return (s) => {
    for (const m of ms) if (m(s)) return true;
    return false;
  };
}

function compileActions(patterns: readonly string[]): StringMatcher {
  const exact = new Set<string>();
  const wild: StringMatcher[] = [];
  for (const raw of patterns) {
    const p = plainPattern(raw.toLowerCase());
    if (matchesEverything(p)) return () => true;
    if (p.mask === null) exact.add(p.text);
    else wild.push(compileWild(p));
  }
  if (wild.length === 0) {
    if (exact.size === 1) {
      const only = [...exact][0]!;
      return (s) => s === only;
    }
    return (s) => exact.has(s);
  }
  const w = anyOf(wild);
  return (s) => exact.has(s) || w(s);
}

function compileResources(patterns: readonly string[], variables: boolean): RequestTest {
  const fixed: ArnMatcher[] = [];
  const templated: Template[] = [];
  for (const raw of patterns) {
    const t = variables ? parseTemplate(raw, []) : null;
    if (t !== null) {
      templated.push(t);
      continue;
    }
    const p = plainPattern(raw);
    if (matchesEverything(p)) return yes;
    fixed.push(compileArnPattern(p));
  }
  const f = fixed.length > 0 ? anyOf(fixed) : () => false;
  if (templated.length === 0) return (req) => f(req.resource);
  return (req) => {
    if (f(req.resource)) return true;
    for (const t of templated) {
      // An unresolvable variable makes its pattern match nothing.
      const p = resolvePattern(t, req);
      if (p !== null && compileArnPattern(p)(req.resource)) return true;
    }
    return false;
  };
}

const no: RequestTest = () => false;

function principalTest(s: PolicyStatement, kind: PolicyKind): RequestTest {
  if (s.principal !== undefined) {
    const m: PrincipalMatcher = compilePrincipal(s.principal);
    return (req) => m(req.principal);
  }
  if (s.notPrincipal !== undefined) {
    const listed = compileNotPrincipalListed(s.notPrincipal);
    return (req) => !listed(req.principal);
  }
  // In a resource policy a statement that names no principal applies to nobody.
  return kind === 'resource' ? no : yes;
}

export function compileStatement(s: PolicyStatement, index: number, variables: boolean, kind: PolicyKind): CompiledStatement {
  const ref: StatementRef = Object.freeze(s.sid !== undefined ? { index, sid: s.sid } : { index });
  const decision = s.effect === 'Allow' ? 'Allow' : 'ExplicitDeny';
  let action: RequestTest;
  if (s.action !== undefined) {
    const m = compileActions(s.action);
    action = (req) => m(req.actionLower);
  } else {
    const m = compileActions(s.notAction ?? []);
    action = (req) => !m(req.actionLower);
  }
  let resource: RequestTest = yes;
  if (s.resource !== undefined) resource = compileResources(s.resource, variables);
  else if (s.notResource !== undefined) {
    const m = compileResources(s.notResource, variables);
    resource = (req) => !m(req);
  }
  const conditions = s.conditions.map((c) => compileCondition(c, variables));
  return {
    ref,
    effect: s.effect,
    soleResult: Object.freeze({ decision, determining: Object.freeze([ref]) }),
    principal: principalTest(s, kind),
    action,
    resource,
    conditions,
    mismatch: {
      principal: Object.freeze({ element: s.notPrincipal !== undefined ? 'NotPrincipal' : 'Principal' }),
      action: Object.freeze({ element: s.notAction !== undefined ? 'NotAction' : 'Action' }),
      resource: Object.freeze({ element: s.notResource !== undefined ? 'NotResource' : 'Resource' }),
      conditions: conditions.map((c) => Object.freeze({ element: 'Condition', operator: c.operator, key: c.key })),
    },
  };
}

/** Hot path: whether the statement applies to the request. */
export function statementMatches(s: CompiledStatement, req: PreparedRequest): boolean {
  if (!s.action(req) || !s.resource(req) || !s.principal(req)) return false;
  const cs = s.conditions;
  for (let i = 0; i < cs.length; i++) if (!cs[i]!.test(req)) return false;
  return true;
}

/** Explain path: the first element (in document order) that stops the statement, or undefined if it applies. */
export function firstMismatch(s: CompiledStatement, req: PreparedRequest): Mismatch | undefined {
  if (!s.principal(req)) return s.mismatch.principal;
  if (!s.action(req)) return s.mismatch.action;
  if (!s.resource(req)) return s.mismatch.resource;
  const cs = s.conditions;
  for (let i = 0; i < cs.length; i++) if (!cs[i]!.test(req)) return s.mismatch.conditions[i];
  return undefined;
}
