/**
 * Audit regressions for the policy engine core (src/policy): semantics that must not allow more than
 * the policy's author meant, or more than AWS would.
 */
import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../src/policy/index.js';
import { conditionHolds, decide, request } from './helpers.js';

describe('policy variables named like Object.prototype members', () => {
  // `${toString}`, `${constructor}`, `${__proto__}` are variables (with no value in any request), not
  // escapes: only `${*}`, `${?}` and `${$}` are. A variable with no value matches nothing (IAM: "treated
  // as nonexistent"); it must never become the text of a JavaScript function or object.
  const names = ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty'];

  it.each(names)('StringEquals "${%s}" does not match a caller-chosen string', (name) => {
    const condition = { StringEquals: { 'vpc-lattice-svcs:RequestHeader/x-team': `\${${name}}` } };
    for (const v of ['function toString() { [native code] }', 'function Object() { [native code] }', '[object Object]', String(({} as Record<string, unknown>)[name])])
      expect(conditionHolds(condition, { 'vpc-lattice-svcs:RequestHeader/x-team': v })).toBe(false);
  });

  it.each(names)('StringLike and Resource with "${%s}" evaluate (no throw) and match nothing', (name) => {
    expect(conditionHolds({ StringLike: { 'x:k': `a\${${name}}*` } }, { 'x:k': 'a' })).toBe(false);
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: `arn:aws:s3:::b/\${${name}}` }] };
    expect(decide(doc, request({ resource: 'arn:aws:s3:::b/x' }))).toBe('ImplicitDeny');
    expect(decide(doc, request({ resource: 'arn:aws:s3:::b/[object Object]' }))).toBe('ImplicitDeny');
  });

  it('a Deny with such a variable in NotResource still evaluates', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: '*', NotResource: 'arn:aws:s3:::b/${constructor}' },
      ],
    };
    expect(decide(doc, request({ resource: 'arn:aws:s3:::b/x' }))).toBe('ExplicitDeny');
  });

  it('the real escapes still work', () => {
    expect(conditionHolds({ StringLike: { 'x:k': 'a${*}' } }, { 'x:k': 'a*' })).toBe(true);
    expect(conditionHolds({ StringLike: { 'x:k': 'a${*}' } }, { 'x:k': 'abc' })).toBe(false);
    expect(conditionHolds({ StringEquals: { 'x:k': '${?}${$}' } }, { 'x:k': '?$' })).toBe(true);
    expect(validatePolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${toString}' }] }).errors).toEqual([]);
  });
});

describe('IpAddress keeps the address families apart', () => {
  it('"203.0.113.0/24 or any IPv6" does not let every IPv4 caller in', () => {
    const condition = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '::/0'] } };
    expect(conditionHolds(condition, { 'aws:SourceIp': '203.0.113.7' })).toBe(true);
    expect(conditionHolds(condition, { 'aws:SourceIp': '2001:db8::1' })).toBe(true);
    expect(conditionHolds(condition, { 'aws:SourceIp': '198.51.100.1' })).toBe(false);
  });

  it('a Deny unless "10.0.0.0/8 or IPv6" denies other IPv4 callers (NotIpAddress)', () => {
    const condition = { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '::/0'] } };
    expect(conditionHolds(condition, { 'aws:SourceIp': '198.51.100.1' })).toBe(true);
    expect(conditionHolds(condition, { 'aws:SourceIp': '10.1.2.3' })).toBe(false);
  });
});
