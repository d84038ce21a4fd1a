/**
 * Validation: every error with its JSON path. Sources:
 *  - IAM User Guide, "IAM JSON policy element reference" and "IAM JSON policy grammar"
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html);
 *  - IAM User Guide, "IAM JSON policy elements: Sid" ("Sid values must be unique within a policy");
 *  - VPC Lattice User Guide, "Quotas for VPC Lattice": auth policy size 10 KB
 *    (https://docs.aws.amazon.com/vpc-lattice/latest/ug/quotas.html).
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, parsePolicy, PolicyValidationError, validatePolicy, type PolicyIssue } from '../../src/policy/index.js';

const V = '2012-10-17';
const ok = { Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke', Resource: '*' };

function errors(doc: unknown, kind: 'identity' | 'resource' = 'identity'): PolicyIssue[] {
  return validatePolicy(doc, { kind }).errors;
}

describe('validatePolicy errors (IAM policy grammar)', () => {
  it('an unknown operator, at the Condition path, as the CLI prints it', () => {
    const doc = { Version: V, Statement: [ok, { ...ok, Condition: { StringEqualz: { 'aws:PrincipalOrgID': 'o-1' } } }] };
    expect(errors(doc)).toEqual([{ path: '$.Statement[1].Condition', message: 'unknown operator "StringEqualz"' }]);
  });

  it('operator names are case-sensitive; the error suggests the right spelling', () => {
    const [e] = errors({ Version: V, Statement: [{ ...ok, Condition: { stringequals: { 'a:b': 'c' } } }] });
    expect(e?.message).toContain('did you mean "StringEquals"');
  });

  it('Null cannot take IfExists; an unknown set qualifier is rejected', () => {
    expect(errors({ Version: V, Statement: [{ ...ok, Condition: { NullIfExists: { 'a:b': 'true' } } }] })[0]?.message).toContain('IfExists');
    expect(errors({ Version: V, Statement: [{ ...ok, Condition: { 'ForSomeValues:StringEquals': { 'a:b': 'c' } } }] })[0]?.message).toContain('qualifier');
  });

  it('a bad CIDR, at the exact value path', () => {
    const doc = { Version: V, Statement: [{ ...ok, Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.0/33'] } } }] };
    expect(errors(doc)).toEqual([
      { path: "$.Statement[0].Condition.IpAddress['aws:SourceIp'][1]", message: 'IpAddress: invalid CIDR "10.0.0.0/33": prefix length must be 0-32' },
    ]);
    expect(errors({ Version: V, Statement: [{ ...ok, Condition: { NotIpAddress: { 'aws:SourceIp': '300.1.1.1' } } }] })).toHaveLength(1);
  });

  it('wrong value types for Numeric, Date, Bool, Binary and Null', () => {
    const cond = {
      NumericLessThan: { 's3:max-keys': 'ten' },
      DateGreaterThan: { 'aws:CurrentTime': 'yesterday' },
      Bool: { 'aws:SecureTransport': 'yes' },
      BinaryEquals: { 'a:key': '***' },
      Null: { 'a:other': 'maybe' },
    };
    const es = errors({ Version: V, Statement: [{ ...ok, Condition: cond }] });
    expect(es.map((e) => e.path)).toEqual([
      "$.Statement[0].Condition.NumericLessThan['s3:max-keys']",
      "$.Statement[0].Condition.DateGreaterThan['aws:CurrentTime']",
      "$.Statement[0].Condition.Bool['aws:SecureTransport']",
      "$.Statement[0].Condition.BinaryEquals['a:key']",
      "$.Statement[0].Condition.Null['a:other']",
    ]);
  });

  it('an invalid ARN in Resource and in an Arn operator; an invalid principal ARN', () => {
    expect(errors({ Version: V, Statement: [{ ...ok, Resource: ['*', 'svc-123'] }] })).toEqual([
      { path: '$.Statement[0].Resource[1]', message: 'invalid ARN "svc-123": expected arn:partition:service:region:account:resource' },
    ]);
    expect(errors({ Version: V, Statement: [{ ...ok, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns' } } }] })).toHaveLength(1);
    const res = { Version: V, Statement: [{ ...ok, Principal: { AWS: ['arn:aws:iam::123:role/x', 'arn:aws:iam::123456789012:role/*'] } }] };
    expect(errors(res, 'resource').map((e) => e.path)).toEqual(['$.Statement[0].Principal.AWS[0]', '$.Statement[0].Principal.AWS[1]']);
  });

  it('wrong types: Effect, Action, condition values, Statement', () => {
    expect(errors({ Version: V, Statement: [{ ...ok, Effect: 'allow' }] })[0]).toEqual({
      path: '$.Statement[0].Effect',
      message: 'Effect must be "Allow" or "Deny", got "allow"',
    });
    expect(errors({ Version: V, Statement: [{ ...ok, Action: { a: 1 } }] })[0]?.path).toBe('$.Statement[0].Action');
    expect(errors({ Version: V, Statement: [{ ...ok, Condition: { StringEquals: { 'a:b': { x: 1 } } } }] })[0]?.path).toBe(
      "$.Statement[0].Condition.StringEquals['a:b']",
    );
    expect(errors({ Version: V, Statement: 'Allow everything' })[0]?.path).toBe('$.Statement');
  });

  it('a duplicate Sid ("Sid values must be unique within a policy")', () => {
    const doc = { Version: V, Statement: [{ ...ok, Sid: 'A' }, { ...ok, Sid: 'B' }, { ...ok, Sid: 'A' }] };
    expect(errors(doc)).toEqual([{ path: '$.Statement[2].Sid', message: 'duplicate Sid "A" (also at $.Statement[0])' }]);
  });

  it('missing Effect, Action and Resource, each reported', () => {
    expect(errors({ Version: V, Statement: [{}] }).map((e) => e.message)).toEqual(['missing Effect', 'missing Action', 'missing Resource']);
  });

  it('a single-object Statement is reported at $.Statement, without an index', () => {
    expect(errors({ Version: V, Statement: { Effect: 'Allow', Resource: '*' } })).toEqual([{ path: '$.Statement', message: 'missing Action' }]);
  });

  it('Principal is required in a resource policy and forbidden in an identity policy', () => {
    expect(errors({ Version: V, Statement: [ok] }, 'resource')[0]?.message).toMatch(/missing Principal/);
    expect(errors({ Version: V, Statement: [{ ...ok, Principal: '*' }] }, 'identity')[0]).toEqual({
      path: '$.Statement[0].Principal',
      message: 'Principal is not allowed in an identity policy',
    });
    expect(errors({ Version: V, Statement: [{ ...ok, Principal: 'everyone' }] }, 'resource')).toHaveLength(1);
    expect(errors({ Version: V, Statement: [{ ...ok, Principal: { Users: '*' } }] }, 'resource')[0]?.path).toBe('$.Statement[0].Principal.Users');
  });

  it('pairs that exclude each other, unknown elements, a bad Version', () => {
    expect(errors({ Version: V, Statement: [{ ...ok, NotAction: 's3:*' }] })[0]?.message).toBe('Action and NotAction cannot both be present');
    expect(errors({ Version: V, Statement: [{ ...ok, Actions: 'x' }] })[0]?.path).toBe('$.Statement[0].Actions');
    expect(errors({ Version: '2012-10-18', Statement: [ok] })[0]?.path).toBe('$.Version');
    expect(errors({ Version: V, Statement: [ok], Extra: 1 })[0]?.path).toBe('$.Extra');
  });

  it('a malformed policy variable', () => {
    expect(errors({ Version: V, Statement: [{ ...ok, Resource: 'arn:aws:s3:::b/${aws:username' }] })[0]?.message).toMatch(/unterminated/);
  });

  it('the 10 KB Lattice limit for resource policies; configurable, and off by default for identity policies', () => {
    const big = { Version: V, Statement: [{ ...ok, Principal: '*', Sid: 'x'.repeat(10300) }] };
    expect(errors(big, 'resource')).toEqual([{ path: '$', message: expect.stringMatching(/^policy is \d+ bytes; the limit is 10240 bytes$/) }]);
    expect(errors({ ...big, Statement: [{ ...ok, Sid: 'x'.repeat(10300) }] })).toEqual([]);
    expect(validatePolicy(big, { kind: 'resource', maxBytes: 20000 }).errors).toEqual([]);
    expect(validatePolicy({ Version: V, Statement: [ok] }, { maxBytes: 10 }).errors).toHaveLength(1);
  });

  it('user-supplied text in paths and messages is escaped: no raw newline can forge a CLI line', () => {
    const es = errors({ Version: V, Statement: [{ ...ok, Resource: 'svc\nfake: error', 'Bad\nKey': 1 }] });
    expect(es.map((e) => `${e.path}: ${e.message}`)).toEqual([
      "$.Statement[0]['Bad\\u000aKey']: unknown element \"Bad\\nKey\"",
      '$.Statement[0].Resource: invalid ARN "svc\\nfake: error": expected arn:partition:service:region:account:resource',
    ]);
    for (const e of es) expect(`${e.path}${e.message}`).not.toContain('\n');
    expect(errors('{"Version":\n\n}')[0]?.message).not.toContain('\n');
  });

  it('JSON text that does not parse, and values that are not objects, never throw', () => {
    expect(errors('{"Version": ')[0]?.path).toBe('$');
    for (const junk of [null, 42, 'null', [], '[]', { Statement: null }]) expect(errors(junk).length).toBeGreaterThan(0);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errors(cyclic)).toHaveLength(1);
  });
});

describe('validatePolicy warnings: statements that can never match', () => {
  const warnings = (s: object) => validatePolicy({ Version: V, Statement: [{ ...ok, ...s }] }).warnings.map((w) => w.path);

  it('NotAction "*", NotResource "*", empty lists', () => {
    expect(warnings({ Action: undefined, NotAction: '*' })).toEqual(['$.Statement[0].NotAction']);
    expect(warnings({ Resource: undefined, NotResource: ['*'] })).toEqual(['$.Statement[0].NotResource']);
    expect(warnings({ Action: [] })).toContain('$.Statement[0].Action');
  });

  it('a key required both absent (Null true) and present', () => {
    const w = validatePolicy({ Version: V, Statement: [{ ...ok, Condition: { Null: { 'a:k': 'true' }, StringEquals: { 'a:k': 'v' } } }] });
    expect(w.warnings.map((x) => x.message)).toEqual(['a:k must be both absent (Null) and present: this statement can never match']);
  });

  it('a missing Version is a warning (variables stay literal), not an error', () => {
    const r = validatePolicy({ Statement: [ok] });
    expect(r.errors).toEqual([]);
    expect(r.warnings[0]?.message).toMatch(/no Version/);
  });

  it('with options.actions: a statement whose Action lets none of them through (a Lattice typo)', () => {
    const doc = { Version: V, Statement: [{ ...ok, Action: 'vpc-lattice:Invoke' }, { ...ok, Action: 'VPC-Lattice-Svcs:*' }, { ...ok, Action: undefined, NotAction: 's3:*' }] };
    const w = validatePolicy(doc, { actions: ['vpc-lattice-svcs:Invoke'] }).warnings;
    expect(w).toEqual([
      { path: '$.Statement[0].Action', message: 'Action lets none of vpc-lattice-svcs:Invoke through: this statement can never match' },
    ]);
    expect(validatePolicy(doc).warnings).toEqual([]);
  });

  it('an action with characters no action has is a warning, and the action never matches', () => {
    expect(warnings({ Action: 's3:Get Object' })).toEqual(['$.Statement[0].Action']);
  });
});

describe('parsePolicy / compilePolicy', () => {
  it('throw PolicyValidationError listing all issues, with an AWS-style code', () => {
    let caught: unknown;
    try {
      parsePolicy({ Version: V, Statement: [{}, { ...ok, Effect: 'Maybe' }] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PolicyValidationError);
    const e = caught as PolicyValidationError;
    expect(e.issues).toHaveLength(4);
    expect(e.code).toBe('ValidationException');
    expect(e.status).toBe(400);
    expect(e.message).toContain('$.Statement[0]: missing Effect');
  });

  it('compilePolicy accepts JSON text, an object, or a Policy from parsePolicy', () => {
    const doc = { Version: V, Id: 'p1', Statement: [ok] };
    const parsed = parsePolicy(doc);
    expect(parsed.id).toBe('p1');
    expect(compilePolicy(parsed).policy).toBe(parsed);
    // The parsed policy is frozen, so a validated Policy cannot be changed behind compilePolicy's back.
    expect(Object.isFrozen(parsed.statements[0]!.conditions)).toBe(true);
    expect(() => (parsed.statements as unknown[]).push({})).toThrow(TypeError);
    expect(compilePolicy(JSON.stringify(doc)).statements).toHaveLength(1);
  });
});
