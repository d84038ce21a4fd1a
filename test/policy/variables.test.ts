/**
 * Policy variables. Source: AWS IAM User Guide, "IAM policy elements: Variables and tags"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).
 */
import { describe, expect, it } from 'vitest';
import { conditionHolds, decide, request } from './helpers.js';

const bucketPolicy = (version: string) => ({
  Version: version,
  Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*' }],
});

describe('Policy variables (IAM User Guide: Variables and tags)', () => {
  it('${aws:username} in Resource (the guide\'s home-folder example)', () => {
    const req = (user: string, key: string) =>
      request({ action: 's3:GetObject', resource: `arn:aws:s3:::amzn-s3-demo-bucket/${key}`, context: { 'aws:username': user } });
    expect(decide(bucketPolicy('2012-10-17'), req('janedoe', 'janedoe/notes.txt'))).toBe('Allow');
    expect(decide(bucketPolicy('2012-10-17'), req('janedoe', 'johndoe/notes.txt'))).toBe('ImplicitDeny');
  });

  it('a variable with no value in the request makes its pattern match nothing', () => {
    const req = request({ action: 's3:GetObject', resource: 'arn:aws:s3:::amzn-s3-demo-bucket/janedoe/x', context: {} });
    expect(decide(bucketPolicy('2012-10-17'), req)).toBe('ImplicitDeny');
  });

  it('Version 2008-10-17: variables are literal text (the guide: "you must set Version to 2012-10-17")', () => {
    const literal = request({ action: 's3:GetObject', resource: 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/x', context: { 'aws:username': 'janedoe' } });
    const expanded = request({ action: 's3:GetObject', resource: 'arn:aws:s3:::amzn-s3-demo-bucket/janedoe/x', context: { 'aws:username': 'janedoe' } });
    expect(decide(bucketPolicy('2008-10-17'), literal)).toBe('Allow');
    expect(decide(bucketPolicy('2008-10-17'), expanded)).toBe('ImplicitDeny');
  });

  it('${aws:PrincipalTag/team} in a condition value (the guide\'s "principal tags" example)', () => {
    const c = { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } };
    expect(conditionHolds(c, { 'aws:ResourceTag/team': 'orders', 'aws:PrincipalTag/team': 'orders' })).toBe(true);
    expect(conditionHolds(c, { 'aws:ResourceTag/team': 'orders', 'aws:PrincipalTag/team': 'search' })).toBe(false);
    expect(conditionHolds(c, { 'aws:ResourceTag/team': 'orders' })).toBe(false);
  });

  it('default values: ${aws:PrincipalTag/team, \'company-wide\'} (the guide\'s "Specifying default values")', () => {
    const c = { StringEquals: { 'aws:ResourceTag/team': "${aws:PrincipalTag/team, 'company-wide'}" } };
    expect(conditionHolds(c, { 'aws:ResourceTag/team': 'company-wide' })).toBe(true);
    expect(conditionHolds(c, { 'aws:ResourceTag/team': 'orders', 'aws:PrincipalTag/team': 'orders' })).toBe(true);
    expect(conditionHolds(c, { 'aws:ResourceTag/team': 'company-wide', 'aws:PrincipalTag/team': 'orders' })).toBe(false);
  });

  it('special characters ${*}, ${?}, ${$} are literal (the guide\'s "Special characters")', () => {
    const c = { StringLike: { 'a:key': 'price${$}${*}${?}' } };
    expect(conditionHolds(c, { 'a:key': 'price$*?' })).toBe(true);
    expect(conditionHolds(c, { 'a:key': 'price$xy' })).toBe(false);
  });

  it('a variable\'s value is literal inside StringLike: a * in the username is not a wildcard', () => {
    const c = { StringLike: { 's3:prefix': 'home/${aws:username}/*' } };
    expect(conditionHolds(c, { 's3:prefix': 'home/jane/docs', 'aws:username': 'jane' })).toBe(true);
    expect(conditionHolds(c, { 's3:prefix': 'home/jane/docs', 'aws:username': '*' })).toBe(false);
  });

  it('variable names are case-insensitive like condition keys; multivalued keys cannot be variables', () => {
    const c = { StringEquals: { 'a:key': '${AWS:UserName}' } };
    expect(conditionHolds(c, { 'a:key': 'jane', 'aws:username': 'jane' })).toBe(true);
    const m = { StringEquals: { 'a:key': '${aws:TagKeys}' } };
    expect(conditionHolds(m, { 'a:key': 'x', 'aws:TagKeys': ['x'] })).toBe(false);
  });
});
