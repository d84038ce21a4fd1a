/**
 * Condition modifiers and combining rules. Sources (AWS IAM User Guide):
 *  - "IAM JSON policy elements: Condition operators" — "...IfExists condition operators"
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists);
 *  - "Set operators for multivalued context keys"
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html);
 *  - "IAM JSON policy elements: Condition" — "Evaluation logic for conditions with multiple context keys or values"
 *    and "condition key names are not case-sensitive"
 *    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
 */
import { describe, expect, it } from 'vitest';
import { conditionHolds } from './helpers.js';

describe('...IfExists (IAM User Guide: Condition operators, IfExists)', () => {
  // The guide's example: StringLikeIfExists ec2:InstanceType ["t1.*", "t2.*", "m3.*"].
  const c = { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } };

  it('when the key is present it is checked like the plain operator', () => {
    expect(conditionHolds(c, { 'ec2:InstanceType': 't2.micro' })).toBe(true);
    expect(conditionHolds(c, { 'ec2:InstanceType': 'c5.large' })).toBe(false);
  });

  it('when the key is missing the condition is true', () => {
    expect(conditionHolds(c, {})).toBe(true);
  });

  it('negated IfExists operators: StringNotEqualsIfExists is true when missing, false on a match', () => {
    const n = { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-myorgid' } };
    expect(conditionHolds(n, {})).toBe(true);
    expect(conditionHolds(n, { 'aws:PrincipalOrgID': 'o-myorgid' })).toBe(false);
  });
});

describe('ForAllValues / ForAnyValue (IAM User Guide: Set operators for multivalued context keys)', () => {
  // The guide's example: ForAllValues:StringEquals aws:TagKeys ["environment", "cost-center"].
  const all = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } };
  const any = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } };

  it('ForAllValues: every request value must be in the policy set', () => {
    expect(conditionHolds(all, { 'aws:TagKeys': ['environment'] })).toBe(true);
    expect(conditionHolds(all, { 'aws:TagKeys': ['environment', 'cost-center'] })).toBe(true);
    expect(conditionHolds(all, { 'aws:TagKeys': ['environment', 'owner'] })).toBe(false);
  });

  it('ForAllValues: true when the key is missing or an empty set (the guide\'s warning about Allow)', () => {
    expect(conditionHolds(all, {})).toBe(true);
    expect(conditionHolds(all, { 'aws:TagKeys': [] })).toBe(true);
  });

  it('ForAnyValue: at least one request value must be in the policy set; missing or empty is false', () => {
    expect(conditionHolds(any, { 'aws:TagKeys': ['owner', 'cost-center'] })).toBe(true);
    expect(conditionHolds(any, { 'aws:TagKeys': ['owner'] })).toBe(false);
    expect(conditionHolds(any, {})).toBe(false);
    expect(conditionHolds(any, { 'aws:TagKeys': [] })).toBe(false);
  });

  it('ForAnyValue:...IfExists is true when the key is missing', () => {
    expect(conditionHolds({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'environment' } }, {})).toBe(true);
  });

  it('negated set operators apply the negation per request value', () => {
    const allNot = { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['environment'] } };
    expect(conditionHolds(allNot, { 'aws:TagKeys': ['owner', 'team'] })).toBe(true);
    expect(conditionHolds(allNot, { 'aws:TagKeys': ['owner', 'environment'] })).toBe(false);
    const anyNot = { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['environment'] } };
    expect(conditionHolds(anyNot, { 'aws:TagKeys': ['owner', 'environment'] })).toBe(true);
    expect(conditionHolds(anyNot, { 'aws:TagKeys': ['environment'] })).toBe(false);
    expect(conditionHolds(anyNot, {})).toBe(false);
  });

  it('a set operator on a single-valued key treats the value as a one-element set', () => {
    expect(conditionHolds(any, { 'aws:TagKeys': 'environment' })).toBe(true);
    expect(conditionHolds(all, { 'aws:TagKeys': 'owner' })).toBe(false);
  });
});

describe('Combining rules (IAM User Guide: Condition element, multiple keys or values)', () => {
  it('several keys are ANDed, several values of one key are ORed', () => {
    const c = {
      StringEquals: { 'aws:PrincipalTag/team': ['orders', 'payments'], 'aws:PrincipalOrgID': 'o-myorgid' },
      Bool: { 'aws:SecureTransport': 'true' },
    };
    const ok = { 'aws:PrincipalTag/team': 'payments', 'aws:PrincipalOrgID': 'o-myorgid', 'aws:SecureTransport': 'true' };
    expect(conditionHolds(c, ok)).toBe(true);
    expect(conditionHolds(c, { ...ok, 'aws:SecureTransport': 'false' })).toBe(false);
    expect(conditionHolds(c, { ...ok, 'aws:PrincipalTag/team': 'search' })).toBe(false);
  });

  it('condition key names are case-insensitive, in the policy and in the request', () => {
    const c = { StringEquals: { 'AWS:PrincipalOrgId': 'o-myorgid' } };
    expect(conditionHolds(c, { 'aws:principalorgid': 'o-myorgid' })).toBe(true);
    expect(conditionHolds(c, { 'aws:PrincipalOrgID': 'O-MYORGID' })).toBe(false);
  });
});
