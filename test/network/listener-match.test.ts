import { describe, expect, it } from 'vitest';
import type { RuleConfig } from '../../src/network/index.js';
import { compileListenerMatch, type CompiledRule } from '../../src/network/listener-match.js';
import type { MatchedRoute } from '../../src/network/snapshot.js';

const DEFAULT: MatchedRoute = { action: { type: 'fixedResponse', statusCode: 404 } };

function listener(rules: Omit<RuleConfig, 'action'>[]) {
  const compiled: CompiledRule[] = rules.map((r) => ({
    priority: r.priority,
    rule: { ...r, action: { fixedResponse: { statusCode: 404 } } },
    route: { ruleArn: r.name!, action: { type: 'fixedResponse', statusCode: 500 } },
  }));
  const match = compileListenerMatch(compiled, DEFAULT);
  return (method: string, path: string, headers: Record<string, string | string[]> = {}) => match(method, path, headers).ruleArn ?? 'default';
}

describe('listener rules', () => {
  it('falls through to the default action when no rule matches (or there are none)', () => {
    expect(listener([])('GET', '/')).toBe('default');
    expect(listener([{ name: 'a', priority: 1, match: { httpMatch: { method: 'POST' } } }])('GET', '/')).toBe('default');
  });

  it('tries rules by ascending priority, whatever their order in the file', () => {
    const m = listener([
      { name: 'broad', priority: 20, match: { httpMatch: { pathMatch: { match: { prefix: '/api' } } } } },
      { name: 'narrow', priority: 10, match: { httpMatch: { pathMatch: { match: { prefix: '/api/stock' } } } } },
    ]);
    expect(m('GET', '/api/stock/1')).toBe('narrow');
    expect(m('GET', '/api/orders')).toBe('broad');
  });

  it('path exact vs prefix; prefix is a plain string prefix', () => {
    const m = listener([
      { name: 'exact', priority: 1, match: { httpMatch: { pathMatch: { match: { exact: '/health' } } } } },
      { name: 'prefix', priority: 2, match: { httpMatch: { pathMatch: { match: { prefix: '/api' } } } } },
    ]);
    expect(m('GET', '/health')).toBe('exact');
    expect(m('GET', '/health/deep')).toBe('default');
    expect(m('GET', '/apix')).toBe('prefix');
  });

  it('paths match case-insensitively unless caseSensitive', () => {
    const insensitive = listener([{ name: 'i', priority: 1, match: { httpMatch: { pathMatch: { match: { prefix: '/Api' } } } } }]);
    expect(insensitive('GET', '/API/stock')).toBe('i');
    const sensitive = listener([{ name: 's', priority: 1, match: { httpMatch: { pathMatch: { match: { prefix: '/api' }, caseSensitive: true } } } }]);
    expect(sensitive('GET', '/API/stock')).toBe('default');
    expect(sensitive('GET', '/api/stock')).toBe('s');
  });

  it('methods match exactly and case-sensitively', () => {
    const m = listener([{ name: 'get', priority: 1, match: { httpMatch: { method: 'GET' } } }]);
    expect(m('GET', '/')).toBe('get');
    expect(m('get', '/')).toBe('default');
    expect(m('GETX', '/')).toBe('default');
  });

  it('headers: names case-insensitive; exact/prefix/contains; values case-insensitive unless caseSensitive; any value of a repeated header', () => {
    const m = listener([
      { name: 'exact', priority: 1, match: { httpMatch: { headerMatches: [{ name: 'X-Env', match: { exact: 'Prod' } }] } } },
      { name: 'prefix', priority: 2, match: { httpMatch: { headerMatches: [{ name: 'x-version', match: { prefix: 'v2' }, caseSensitive: true }] } } },
      { name: 'contains', priority: 3, match: { httpMatch: { headerMatches: [{ name: 'user-agent', match: { contains: 'curl' } }] } } },
    ]);
    expect(m('GET', '/', { 'x-env': 'prod' })).toBe('exact');
    expect(m('GET', '/', { 'x-env': 'production' })).toBe('default');
    expect(m('GET', '/', { 'x-version': 'v2.1' })).toBe('prefix');
    expect(m('GET', '/', { 'x-version': 'V2.1' })).toBe('default');
    expect(m('GET', '/', { 'user-agent': 'Mozilla CURL/8' })).toBe('contains');
    expect(m('GET', '/', { 'x-env': ['staging', 'PROD'] })).toBe('exact');
    expect(m('GET', '/', {})).toBe('default');
  });

  it('every condition of a rule must hold', () => {
    const m = listener([
      {
        name: 'all',
        priority: 1,
        match: {
          httpMatch: {
            method: 'POST',
            pathMatch: { match: { prefix: '/api' } },
            headerMatches: [
              { name: 'x-a', match: { exact: '1' } },
              { name: 'x-b', match: { exact: '2' } },
            ],
          },
        },
      },
    ]);
    expect(m('POST', '/api', { 'x-a': '1', 'x-b': '2' })).toBe('all');
    expect(m('GET', '/api', { 'x-a': '1', 'x-b': '2' })).toBe('default');
    expect(m('POST', '/other', { 'x-a': '1', 'x-b': '2' })).toBe('default');
    expect(m('POST', '/api', { 'x-a': '1' })).toBe('default');
  });

  it('returns the same precompiled route object every time (no per-request allocation of results)', () => {
    const compiled: CompiledRule[] = [
      { priority: 1, rule: { priority: 1, match: { httpMatch: { method: 'GET' } }, action: { fixedResponse: { statusCode: 404 } } }, route: { ruleArn: 'r', action: { type: 'fixedResponse', statusCode: 404 } } },
    ];
    const match = compileListenerMatch(compiled, DEFAULT);
    expect(match('GET', '/', {})).toBe(match('GET', '/x', {}));
    expect(match('PUT', '/', {})).toBe(DEFAULT);
  });
});
