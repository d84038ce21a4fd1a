/**
 * String condition operators. Source: AWS IAM User Guide, "IAM JSON policy elements: Condition
 * operators" — String condition operators
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).
 */
import { describe, expect, it } from 'vitest';
import { conditionHolds } from '../helpers.js';

describe('String condition operators (IAM User Guide: Condition operators, String)', () => {
  // The guide's example: aws:PrincipalTag/job-category must be iamuser-admin.
  const jobCategory = { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } };

  it('StringEquals: exact, case-sensitive match (example: aws:PrincipalTag/job-category = iamuser-admin)', () => {
    expect(conditionHolds(jobCategory, { 'aws:PrincipalTag/job-category': 'iamuser-admin' })).toBe(true);
    expect(conditionHolds(jobCategory, { 'aws:PrincipalTag/job-category': 'IAMUser-Admin' })).toBe(false);
  });

  it('StringEquals: a key missing from the request context does not match (same example, untagged principal)', () => {
    expect(conditionHolds(jobCategory, {})).toBe(false);
  });

  it('StringNotEquals: negated match, and true when the key is missing ("Important" note on the same page)', () => {
    const c = { StringNotEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } };
    expect(conditionHolds(c, { 'aws:PrincipalTag/job-category': 'iamuser-admin' })).toBe(false);
    expect(conditionHolds(c, { 'aws:PrincipalTag/job-category': 'other' })).toBe(true);
    expect(conditionHolds(c, {})).toBe(true);
  });

  it('StringEqualsIgnoreCase / StringNotEqualsIgnoreCase: exact match ignoring case (operator table)', () => {
    const c = { StringEqualsIgnoreCase: { 'aws:PrincipalTag/job-category': 'IAMuser-Admin' } };
    expect(conditionHolds(c, { 'aws:PrincipalTag/job-category': 'iamuser-admin' })).toBe(true);
    const n = { StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/job-category': 'IAMuser-Admin' } };
    expect(conditionHolds(n, { 'aws:PrincipalTag/job-category': 'iamuser-ADMIN' })).toBe(false);
    expect(conditionHolds(n, { 'aws:PrincipalTag/job-category': 'dev' })).toBe(true);
  });

  it('StringLike: case-sensitive, * and ? anywhere (example: s3:prefix "", "home/", "home/${aws:username}/")', () => {
    const c = { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/'] } };
    expect(conditionHolds(c, { 's3:prefix': 'home/', 'aws:username': 'janedoe' })).toBe(true);
    expect(conditionHolds(c, { 's3:prefix': 'home/janedoe/', 'aws:username': 'janedoe' })).toBe(true);
    expect(conditionHolds(c, { 's3:prefix': 'home/johndoe/', 'aws:username': 'janedoe' })).toBe(false);
    expect(conditionHolds(c, { 's3:prefix': '' })).toBe(true);
    const wild = { StringLike: { 'aws:PrincipalTag/job-category': 'iamuser-?dmin*' } };
    expect(conditionHolds(wild, { 'aws:PrincipalTag/job-category': 'iamuser-admin-2' })).toBe(true);
    expect(conditionHolds(wild, { 'aws:PrincipalTag/job-category': 'IAMUSER-admin' })).toBe(false);
  });

  it('StringNotLike: negated wildcard match, true when the key is missing', () => {
    const c = { StringNotLike: { 'vpc-lattice-svcs:RequestPath': '/admin/*' } };
    expect(conditionHolds(c, { 'vpc-lattice-svcs:RequestPath': '/admin/users' })).toBe(false);
    expect(conditionHolds(c, { 'vpc-lattice-svcs:RequestPath': '/api/stock' })).toBe(true);
    expect(conditionHolds(c, {})).toBe(true);
  });

  it('StringEquals on a multivalued key without a set operator matches when any request value matches', () => {
    // "Set operators for multivalued context keys": single-valued operators on multivalued keys.
    const c = { StringEquals: { 'aws:TagKeys': 'environment' } };
    expect(conditionHolds(c, { 'aws:TagKeys': ['cost-center', 'environment'] })).toBe(true);
    expect(conditionHolds(c, { 'aws:TagKeys': ['cost-center'] })).toBe(false);
  });

  it('StringNotEquals on a multivalued key is the negation: true only when no request value matches', () => {
    const c = { StringNotEquals: { 'aws:TagKeys': 'environment' } };
    expect(conditionHolds(c, { 'aws:TagKeys': ['cost-center', 'environment'] })).toBe(false);
    expect(conditionHolds(c, { 'aws:TagKeys': ['cost-center', 'owner'] })).toBe(true);
  });
});
