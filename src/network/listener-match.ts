/**
 * Compiles a listener's rules into `match(method, path, headers)`, once per snapshot. Rules are tried
 * by ascending priority, then the default action. Semantics (Lattice listener rules):
 * - method: exact and case-sensitive;
 * - path: `exact` or `prefix` (a plain string prefix: `/api` also matches `/apix`), case-insensitive
 *   unless `caseSensitive: true`;
 * - headers: names case-insensitive; values `exact`/`prefix`/`contains`, case-insensitive unless
 *   `caseSensitive: true`; a header sent several times matches when any of its values does;
 * - every condition of a rule must hold.
 * Nothing is built per request: the only allocation is one lower-casing of the path, and only when
 * some rule of the listener matches paths case-insensitively.
 */
import type { HeaderMatchConfig, RuleConfig } from './config-types.js';
import type { HeaderMap, MatchedRoute } from './snapshot.js';

type Test = (method: string, path: string, lowerPath: string, headers: HeaderMap) => boolean;

function stringTest(kind: 'exact' | 'prefix' | 'contains', expected: string): (v: string) => boolean {
  switch (kind) {
    case 'exact':
      return (v) => v === expected;
    case 'prefix':
      return (v) => v.startsWith(expected);
    case 'contains':
      return (v) => v.includes(expected);
  }
}

function headerTest(h: HeaderMatchConfig): Test {
  const name = h.name.toLowerCase();
  const sensitive = h.caseSensitive === true;
  const kind = h.match.exact !== undefined ? 'exact' : h.match.prefix !== undefined ? 'prefix' : 'contains';
  const raw = (h.match.exact ?? h.match.prefix ?? h.match.contains)!;
  const test = stringTest(kind, sensitive ? raw : raw.toLowerCase());
  const one = sensitive ? test : (v: string) => test(v.toLowerCase());
  return (_m, _p, _l, headers) => {
    const v = headers[name];
    if (v === undefined) return false;
    if (typeof v === 'string') return one(v);
    for (const x of v) if (one(x)) return true;
    return false;
  };
}

/** `needsLowerPath` tells match() to lower-case the path once for every case-insensitive path test. */
export function compileRuleTest(rule: RuleConfig): { test: Test; needsLowerPath: boolean } {
  const m = rule.match.httpMatch;
  const tests: Test[] = [];
  let needsLowerPath = false;
  if (m.method !== undefined) {
    const method = m.method;
    tests.push((verb) => verb === method);
  }
  if (m.pathMatch !== undefined) {
    const sensitive = m.pathMatch.caseSensitive === true;
    const kind = m.pathMatch.match.exact !== undefined ? 'exact' : 'prefix';
    const raw = (m.pathMatch.match.exact ?? m.pathMatch.match.prefix)!;
    const test = stringTest(kind, sensitive ? raw : raw.toLowerCase());
    if (sensitive) tests.push((_m, path) => test(path));
    else {
      needsLowerPath = true;
      tests.push((_m, _p, lower) => test(lower));
    }
  }
  for (const h of m.headerMatches ?? []) tests.push(headerTest(h));
  const test: Test =
    tests.length === 1
      ? tests[0]!
      : (a, b, c, d) => {
          for (const t of tests) if (!t(a, b, c, d)) return false;
          return true;
        };
  return { test, needsLowerPath };
}

export interface CompiledRule {
  priority: number;
  rule: RuleConfig;
  route: MatchedRoute;
}

export function compileListenerMatch(
  rules: readonly CompiledRule[],
  defaultRoute: MatchedRoute,
): (method: string, path: string, headers: HeaderMap) => MatchedRoute {
  const compiled = [...rules].sort((a, b) => a.priority - b.priority).map((r) => ({ ...compileRuleTest(r.rule), route: r.route }));
  if (compiled.length === 0) return () => defaultRoute;
  const lower = compiled.some((r) => r.needsLowerPath);
  const tests = compiled.map((r) => r.test);
  const routes = compiled.map((r) => r.route);
  return (method, path, headers) => {
    const lowerPath = lower ? path.toLowerCase() : path;
    for (let i = 0; i < tests.length; i++) if (tests[i]!(method, path, lowerPath, headers)) return routes[i]!;
    return defaultRoute;
  };
}
