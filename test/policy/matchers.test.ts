/**
 * The small matchers under the evaluator: wildcards, ARN parts, CIDRs, principal parsing.
 * Sources: IAM User Guide, Condition operators — "StringLike ... multi-character match wildcard (*)
 * and single-character match wildcard (?)" and "Each of the six colon-delimited components of the
 * ARN is checked separately"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html);
 * RFC 4291 section 2.2 (IPv6 text forms) and section 2.5.5.2 (IPv4-mapped addresses).
 */
import { describe, expect, it } from 'vitest';
import { compileArnString, splitArn } from '../../src/policy/arn.js';
import { cidrContains, parseCidr, parseIp, type Cidr } from '../../src/policy/cidr.js';
import { parsePrincipal } from '../../src/policy/principal.js';
import { compileWild, plainPattern, wildMatch } from '../../src/policy/wildcard.js';

const wild = (p: string, s: string) => compileWild(plainPattern(p))(s);

describe('wildcards (IAM: * any run, ? one character)', () => {
  it('fast paths and the general matcher agree', () => {
    const cases: [string, string, boolean][] = [
      ['abc', 'abc', true],
      ['abc', 'abd', false],
      ['*', '', true],
      ['a*', 'a', true],
      ['*c', 'abc', true],
      ['*c', 'abd', false],
      ['a*c', 'ac', true],
      ['a*c', 'abxbc', true],
      ['a*c', 'abcd', false],
      ['a?c', 'abc', true],
      ['a?c', 'ac', false],
      ['*a*b*', 'xxaxxbxx', true],
      ['*a*b*', 'xxbxxaxx', false],
      ['a*b*c', 'abbbcbc', true],
      ['??', 'ab', true],
      ['??', 'abc', false],
      ['', '', true],
      ['', 'a', false],
    ];
    for (const [p, s, want] of cases) {
      expect(wild(p, s), `${p} ~ ${s}`).toBe(want);
      const pat = plainPattern(p);
      if (pat.mask !== null) expect(wildMatch(pat.text, pat.mask, s), `general ${p} ~ ${s}`).toBe(want);
    }
  });
});

describe('ARNs (IAM: six colon-delimited parts, matched separately)', () => {
  it('splitArn keeps colons of the resource part', () => {
    expect(splitArn('arn:aws:lambda:us-east-1:123456789012:function:f:alias')).toEqual([
      'arn', 'aws', 'lambda', 'us-east-1', '123456789012', 'function:f:alias',
    ]);
    expect(splitArn('arn:aws:s3')).toBeNull();
    expect(splitArn('urn:aws:s3:::b')).toBeNull();
  });

  it('a wildcard in an early part stays in that part', () => {
    const m = compileArnString('arn:aws:*:us-east-1:123456789012:*');
    expect(m('arn:aws:sqs:us-east-1:123456789012:q')).toBe(true);
    expect(m('arn:aws:sqs:us-west-2:123456789012:q')).toBe(false);
    expect(m('arn:aws:sqs:us-east-1')).toBe(false);
  });
});

describe('CIDRs and addresses (RFC 4291 text forms)', () => {
  const c = (s: string) => parseCidr(s) as Cidr;
  it('IPv6 compressed forms, embedded IPv4 and zone IDs parse to the same words', () => {
    expect(Array.from(parseIp('2001:db8::1')!)).toEqual(Array.from(parseIp('2001:0db8:0000:0000:0000:0000:0000:0001')!));
    expect(Array.from(parseIp('::ffff:192.0.2.1')!)).toEqual(Array.from(parseIp('192.0.2.1')!));
    expect(Array.from(parseIp('fe80::1%eth0')!)).toEqual(Array.from(parseIp('fe80::1')!));
    expect(parseIp('1.2.3')).toBeNull();
    expect(parseIp('::g')).toBeNull();
  });

  it('prefix boundaries', () => {
    expect(cidrContains(c('192.0.2.128/25'), parseIp('192.0.2.128')!)).toBe(true);
    expect(cidrContains(c('192.0.2.128/25'), parseIp('192.0.2.127')!)).toBe(false);
    expect(cidrContains(c('2001:db8::/127'), parseIp('2001:db8::1')!)).toBe(true);
    expect(cidrContains(c('2001:db8::/128'), parseIp('2001:db8::1')!)).toBe(false);
    // IPv4 is not in IPv6's ::/0 (AWS keeps the families apart), but is in the IPv4-mapped block.
    expect(cidrContains(c('::/0'), parseIp('10.0.0.1')!)).toBe(false);
    expect(cidrContains(c('::ffff:0:0/96'), parseIp('10.0.0.1')!)).toBe(true);
    expect(cidrContains(c('::/0'), parseIp('2001:db8::1')!)).toBe(true);
    expect(parseCidr('10.0.0.0/-1')).toMatch(/prefix length/);
    expect(parseCidr('2001:db8::/129')).toMatch(/prefix length/);
  });
});

describe('request principals (IAM identifiers: ARNs)', () => {
  it('parses sessions, users, roots, services and anonymous', () => {
    expect(parsePrincipal('arn:aws:sts::123456789012:assumed-role/r/s')).toMatchObject({
      account: '123456789012',
      sessionBase: 'arn:aws:sts::123456789012:assumed-role/r',
      anonymous: false,
    });
    expect(parsePrincipal('arn:aws:iam::123456789012:root')).toMatchObject({ root: true, sessionBase: null });
    expect(parsePrincipal('ecs.amazonaws.com')).toMatchObject({ account: null, anonymous: false });
    expect(parsePrincipal('anonymous').anonymous).toBe(true);
    expect(parsePrincipal('arn:aws-cn:sts::123456789012:assumed-role/r/s').sessionBase).toBe('arn:aws-cn:sts::123456789012:assumed-role/r');
  });
});
