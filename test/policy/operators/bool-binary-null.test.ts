/**
 * Bool, BinaryEquals and Null. Source: AWS IAM User Guide, "IAM JSON policy elements: Condition
 * operators" — Boolean, Binary and "Condition operator to check existence of condition keys"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean).
 */
import { describe, expect, it } from 'vitest';
import { conditionHolds } from '../helpers.js';

describe('Bool (IAM User Guide: Condition operators, Boolean)', () => {
  it('Bool aws:SecureTransport "false" (the guide\'s deny-plain-HTTP example) matches only plain HTTP', () => {
    const c = { Bool: { 'aws:SecureTransport': 'false' } };
    expect(conditionHolds(c, { 'aws:SecureTransport': 'false' })).toBe(true);
    expect(conditionHolds(c, { 'aws:SecureTransport': 'true' })).toBe(false);
    expect(conditionHolds(c, {})).toBe(false);
  });

  it('accepts JSON booleans and compares case-insensitively', () => {
    expect(conditionHolds({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'TRUE' })).toBe(true);
  });
});

describe('BinaryEquals (IAM User Guide: Condition operators, Binary)', () => {
  it('compares base64-encoded values byte for byte (example value "QmluYXJ5VmFsdWVJbkJhc2U2NA==")', () => {
    const c = { BinaryEquals: { 'a:key': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } };
    expect(conditionHolds(c, { 'a:key': Buffer.from('BinaryValueInBase64').toString('base64') })).toBe(true);
    expect(conditionHolds(c, { 'a:key': Buffer.from('other').toString('base64') })).toBe(false);
    expect(conditionHolds(c, { 'a:key': 'not base64!' })).toBe(false);
  });
});

describe('Null (IAM User Guide: "Condition operator to check existence of condition keys")', () => {
  it('Null aws:TokenIssueTime "true" matches requests without temporary credentials (the guide\'s example)', () => {
    const c = { Null: { 'aws:TokenIssueTime': 'true' } };
    expect(conditionHolds(c, {})).toBe(true);
    expect(conditionHolds(c, { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' })).toBe(false);
  });

  it('Null "false" requires the key to be present; an empty list counts as absent', () => {
    const c = { Null: { 'aws:TagKeys': 'false' } };
    expect(conditionHolds(c, { 'aws:TagKeys': ['a'] })).toBe(true);
    expect(conditionHolds(c, { 'aws:TagKeys': [] })).toBe(false);
  });
});
